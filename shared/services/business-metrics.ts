import type { BusinessMetrics } from '../ports/metrics';
import type { NotificationSummary } from './notifications';

/**
 * What each function counts (docs/reliability.md, "Business metrics"): counts and school
 * ids only. Per school only once the school is authenticated, so a caller cannot mint
 * metric dimensions with made-up school ids.
 */

export function countWebhookResults(metrics: BusinessMetrics | undefined, schoolId: string, counts: Record<string, number>): void {
  if (!metrics) return;
  metrics.count('EventsAccepted', counts.accepted ?? 0, schoolId);
  metrics.count('EventsDuplicate', counts.duplicate ?? 0, schoolId);
  metrics.count('EventsRejected', counts.rejected ?? 0, schoolId);
}

export function countNotifications(metrics: BusinessMetrics | undefined, summary: NotificationSummary, category: 'parent-notification' | 'dsl-alert'): void {
  if (!metrics) return;
  const { outcomes, schoolId } = summary;
  metrics.count('NotificationsSent', outcomes.sent, schoolId);
  metrics.count('NotificationsSuppressed', outcomes.suppressed, schoolId);
  metrics.count('NotificationsRejected', outcomes.rejected, schoolId);
  // SES refused the DSL alert for good: it did not reach the DSL (alarmed).
  if (category === 'dsl-alert') metrics.count('DslAlertUndelivered', outcomes.rejected);
}
