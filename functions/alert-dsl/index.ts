import type { EventBridgeEvent } from 'aws-lambda';
import type { StoredEventDetail } from '../../events/bus';
import { logger } from '../../shared/logger';
import { alertDslOfEvent, NotificationRetryError, type NotificationDeps, type NotificationSummary } from '../../shared/services/notifications';
import { lambdaHandler } from '../lambda-handler';
import { deployedNotificationDeps, logSummary, parseDetail } from '../notifier-runtime';

/**
 * Safeguarding concerns (dslAlerts rule) to the school's DSL, or to its leaders with a
 * warning when no DSL is configured. Recorded as a decision, sent once per event, no notes.
 */
export function alertDsl(deps: NotificationDeps) {
  return async (event: EventBridgeEvent<string, StoredEventDetail>): Promise<NotificationSummary> => {
    const detail = parseDetail(event);
    let summary: NotificationSummary;
    try {
      summary = await alertDslOfEvent(detail, deps);
    } catch (error) {
      logger.error('DSL alert failed; the event will be retried', { schoolId: detail.schoolId, eventId: detail.eventId, errorName: (error as Error).name });
      throw error;
    }
    if (summary.toLeaders) {
      logger.warn('school has no DSL configured: safeguarding alert sent to its leaders', { schoolId: detail.schoolId, eventId: detail.eventId });
    }
    if (summary.ignored) logger.warn('alert-dsl received an event that is not a safeguarding concern', { schoolId: detail.schoolId, eventId: detail.eventId });
    logSummary('DSL alert decided', detail, summary);
    if (summary.outcomes.retryable > 0) throw new NotificationRetryError(summary);
    return summary;
  };
}

export const handler = lambdaHandler(() => alertDsl(deployedNotificationDeps()));
