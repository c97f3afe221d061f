/**
 * Business metrics (counts of what happened, never who): CloudWatch metrics through
 * Powertools' embedded metric format in Lambda, an in-memory tally locally.
 */
export interface BusinessMetrics {
  /** Adds `value` to the metric; `schoolId` as the only dimension, when given. */
  count(name: BusinessMetricName, value?: number, schoolId?: string): void;
  /** Writes what was counted (Lambda: one EMF log line per dimension set). */
  flush(): void;
}

/** Every business metric, by name: the dashboard and alarms refer to these. */
export const businessMetricNames = [
  'EventsAccepted',
  'EventsDuplicate',
  'EventsRejected',
  'NotificationsSent',
  'NotificationsSuppressed',
  'NotificationsRejected',
  'NotificationsBounced',
  'NotificationsComplained',
  'DslAlertUndelivered',
  'RollupsCompleted',
  'TrustSummariesSent',
] as const;
export type BusinessMetricName = (typeof businessMetricNames)[number];
