import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { rollupCompletedDetail, type RollupCompletedDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import { rollupDeps, runTrustSummary, type TrustSummaryOutcome } from '../../shared/services/rollups';

/** The trust leaders' summary once every school's rollup of the week is stored: sent once. */
export function trustSummary(adapters: Adapters) {
  return async (event: EventBridgeEvent<string, RollupCompletedDetail>): Promise<TrustSummaryOutcome> => {
    const { week } = rollupCompletedDetail.parse(event.detail);
    return runTrustSummary(rollupDeps(adapters, new DynamoRollupStore(adapters.table)), week);
  };
}

export const handler = middy(trustSummary(awsAdapters)).use(injectLambdaContext(logger));
