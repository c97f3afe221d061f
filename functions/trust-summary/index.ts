import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { RollupCompletedDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';

/** The trust leaders' summary once every school's rollup of the week is stored (issue 5). */
export function trustSummary(_adapters: Adapters) {
  return async (event: EventBridgeEvent<string, RollupCompletedDetail>): Promise<void> => {
    logger.info('trust summary pending implementation', { week: event.detail.week });
  };
}

export const handler = middy(trustSummary(awsAdapters)).use(injectLambdaContext(logger));
