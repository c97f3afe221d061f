import type { EventBridgeEvent } from 'aws-lambda';
import type { StoredEventDetail } from '../../events/bus';
import { logger } from '../../shared/logger';
import { NotificationRetryError, type NotificationDeps, type NotificationSummary } from '../../shared/services/notifications';
import { notifyParentsOf } from '../../shared/services/notify-parents';
import { lambdaHandler } from '../lambda-handler';
import { deployedNotificationDeps, logSummary, parseDetail } from '../notifier-runtime';

/**
 * Parent/carer notifications for stored events routed by the parentNotifications rule, and
 * the statutory restrictive-intervention reports (restrictiveInterventionReports rule).
 * Decides with the policy, records each decision, sends at most once per (event, contact);
 * throws when a send failed transiently so the platform retries and finally dead-letters it.
 */
export function notifyParents(deps: NotificationDeps) {
  return async (event: EventBridgeEvent<string, StoredEventDetail>): Promise<NotificationSummary> => {
    const detail = parseDetail(event);
    let summary: NotificationSummary;
    try {
      summary = await notifyParentsOf(detail, deps);
    } catch (error) {
      logger.error('parent notification failed; the event will be retried', {
        schoolId: detail.schoolId,
        eventId: detail.eventId,
        errorName: (error as Error).name,
      });
      throw error;
    }
    logSummary('parent notifications decided', detail, summary);
    if (summary.outcomes.retryable > 0) throw new NotificationRetryError(summary);
    return summary;
  };
}

export const handler = lambdaHandler(() => notifyParents(deployedNotificationDeps()));
