import type { EventBridgeEvent } from 'aws-lambda';
import { storedEventDetail, type StoredEventDetail } from '../../events/bus';
import { DynamoNotificationReads, DynamoNotificationStore } from '../../shared/adapters/aws/notification-store';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import type { NotificationDeps, NotificationSummary } from '../../shared/services/notifications';

/** What notify-parents and alert-dsl share: their dependencies, detail parsing, log lines. */

/** Builds the notifiers' dependencies on first use (the AWS adapters read the environment lazily). */
export function notificationDeps(adapters: Adapters): () => NotificationDeps {
  let deps: NotificationDeps | undefined;
  return () =>
    (deps ??= {
      reads: new DynamoNotificationReads(adapters.table),
      store: new DynamoNotificationStore(adapters.table),
      schools: adapters.schools,
      mailer: adapters.mailer,
      clock: adapters.clock,
    });
}

/** The bus detail, validated: a malformed one fails (and ends in the DLQ) rather than vanishing. */
export function parseDetail(event: EventBridgeEvent<string, unknown>): StoredEventDetail {
  const parsed = storedEventDetail.safeParse(event.detail);
  if (!parsed.success) {
    logger.error('not a stored-event detail', { busEventId: event.id, detailType: event['detail-type'] });
    throw new Error(`bus event ${event.id} has no valid stored-event detail`);
  }
  return parsed.data;
}

/** Logs ids and counts only: never names, addresses or notes. */
export function logSummary(message: string, detail: StoredEventDetail, summary: NotificationSummary) {
  const { outcomes, reasons, decisions, toLeaders, ignored } = summary;
  logger.info(message, { schoolId: detail.schoolId, eventId: detail.eventId, type: detail.type, decisions, ...outcomes, reasons, toLeaders, ignored });
}
