import type { NotificationFigures, NotificationRecord } from './types';

/**
 * Notification decisions of the school-week (parents and DSL alike): how many of each
 * status (`sent`, `suppressed`, `rejected`, …) and the suppressed ones by reason.
 */
export function notificationFigures(records: NotificationRecord[]): NotificationFigures {
  const byStatus: Record<string, number> = {};
  const suppressedByReason: Record<string, number> = {};
  for (const record of records) {
    byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
    if (record.status === 'suppressed') {
      const reason = record.reason ?? 'unspecified';
      suppressedByReason[reason] = (suppressedByReason[reason] ?? 0) + 1;
    }
  }
  return {
    total: records.length,
    sent: byStatus.sent ?? 0,
    suppressed: byStatus.suppressed ?? 0,
    byStatus,
    suppressedByReason,
  };
}
