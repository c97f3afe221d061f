import type { EventBridgeEvent } from 'aws-lambda';
import { storedEventDetail, type StoredEventDetail } from '../events/bus';
import { deployedTable } from '../shared/adapters/aws/dynamodb';
import { systemClock } from '../shared/adapters/aws/environment';
import { DynamoNotificationReads, DynamoNotificationStore } from '../shared/adapters/aws/notification-store';
import { DynamoSchoolDirectory } from '../shared/adapters/aws/school-directory';
import { deployedMailer } from '../shared/adapters/aws/ses-mailer';
import { logger } from '../shared/logger';
import type { NotificationDeps, NotificationSummary } from '../shared/services/notifications';

/** What notify-parents and alert-dsl share: their dependencies, detail parsing, log lines. */

/** The notifiers' ports in Lambda: the table's decision store and reads, SES, the school directory. */
export function deployedNotificationDeps(): NotificationDeps {
  const table = deployedTable();
  return {
    notificationReads: new DynamoNotificationReads(table),
    notifications: new DynamoNotificationStore(table),
    schools: new DynamoSchoolDirectory(table),
    mailer: deployedMailer(),
    clock: systemClock,
  };
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
