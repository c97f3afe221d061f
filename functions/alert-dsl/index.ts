import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { StoredEventDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { fromPacingQueue } from '../../shared/adapters/aws/pacing-queue';
import { logger } from '../../shared/logger';
import { countNotifications } from '../../shared/services/business-metrics';
import type { Adapters } from '../../shared/ports';
import { alertDslOfEvent, NotificationRetryError, type NotificationSummary } from '../../shared/services/notifications';
import { logSummary, notificationDeps, parseDetail } from '../notify-parents/runtime';

/**
 * Safeguarding concerns (dslAlerts rule) to the school's DSL, or to its leaders with a
 * warning when no DSL is configured. Recorded as a decision, sent once per event, no notes.
 */
export function alertDsl(adapters: Adapters) {
  const deps = notificationDeps(adapters);
  return async (event: EventBridgeEvent<string, StoredEventDetail>): Promise<NotificationSummary> => {
    const detail = parseDetail(event);
    let summary: NotificationSummary;
    try {
      summary = await alertDslOfEvent(detail, deps());
    } catch (error) {
      logger.error('DSL alert failed; the event will be retried', { schoolId: detail.schoolId, eventId: detail.eventId, errorName: (error as Error).name });
      throw error;
    }
    if (summary.toLeaders) {
      logger.warn('school has no DSL configured: safeguarding alert sent to its leaders', { schoolId: detail.schoolId, eventId: detail.eventId });
    }
    if (summary.ignored) logger.warn('alert-dsl received an event that is not a safeguarding concern', { schoolId: detail.schoolId, eventId: detail.eventId });
    logSummary('DSL alert decided', detail, summary);
    countNotifications(adapters.metrics, summary, 'dsl-alert');
    adapters.metrics?.flush();
    if (summary.outcomes.retryable > 0) throw new NotificationRetryError(summary);
    return summary;
  };
}

/** Deployed, it drains its pacing queue (SQS-wrapped EventBridge events, partial batch failures). */
export const handler = middy(fromPacingQueue(alertDsl(awsAdapters))).use(injectLambdaContext(logger));
