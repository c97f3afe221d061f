import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { RollupRequestedDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';

/** One school's weekly rollup (issue 5 fills this in). */
export function rollupSchool(_adapters: Adapters) {
  return async (event: EventBridgeEvent<string, RollupRequestedDetail>): Promise<unknown> => {
    logger.info('rollup pending implementation', { schoolId: event.detail.schoolId, week: event.detail.week });
    return { schoolId: event.detail.schoolId, week: event.detail.week };
  };
}

export const handler = middy(rollupSchool(awsAdapters)).use(injectLambdaContext(logger));
