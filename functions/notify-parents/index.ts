import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import type { StoredEventDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { fromPacingQueue } from '../../shared/adapters/aws/pacing-queue';
import { logger } from '../../shared/logger';
import { countNotifications } from '../../shared/services/business-metrics';
import type { Adapters } from '../../shared/ports';
import { NotificationRetryError, notifyParentsOfEvent, type NotificationSummary } from '../../shared/services/notifications';
import { logSummary, notificationDeps, parseDetail } from './runtime';

/**
 * Parent/carer notifications for stored events routed by the parentNotifications rule.
 * Decides with the policy, records each decision, sends at most once per (event, contact);
 * throws when a send failed transiently so the platform retries and finally dead-letters it.
 */
export function notifyParents(adapters: Adapters) {
  const deps = notificationDeps(adapters);
  return async (event: EventBridgeEvent<string, StoredEventDetail>): Promise<NotificationSummary> => {
    const detail = parseDetail(event);
    let summary: NotificationSummary;
    try {
      summary = await notifyParentsOfEvent(detail, deps());
    } catch (error) {
      logger.error('parent notification failed; the event will be retried', {
        schoolId: detail.schoolId,
        eventId: detail.eventId,
        errorName: (error as Error).name,
      });
      throw error;
    }
    logSummary('parent notifications decided', detail, summary);
    countNotifications(adapters.metrics, summary, 'parent-notification');
    adapters.metrics?.flush();
    if (summary.outcomes.retryable > 0) throw new NotificationRetryError(summary);
    return summary;
  };
}

/** Deployed, it drains its pacing queue (SQS-wrapped EventBridge events, partial batch failures). */
export const handler = middy(fromPacingQueue(notifyParents(awsAdapters))).use(injectLambdaContext(logger));
