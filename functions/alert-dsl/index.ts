import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { StoredEventDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';

/** Safeguarding alerts to the DSL (issue 4 fills this in). */
export function alertDsl(_adapters: Adapters) {
  return async (event: EventBridgeEvent<string, StoredEventDetail>): Promise<void> => {
    logger.info('dsl alert pending implementation', { schoolId: event.detail.schoolId, eventId: event.detail.eventId });
  };
}

export const handler = middy(alertDsl(awsAdapters)).use(injectLambdaContext(logger));
