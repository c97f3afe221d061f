/**
 * The decision kinds and reason of the restrictive-intervention report (contract section 7),
 * apart from its policy so the notification policy can name them without importing it back.
 */
export const restrictiveDecisionKinds = ['restrictive-report', 'restrictive-report-withheld', 'restrictive-report-undeliverable'] as const;
export type RestrictiveDecisionKind = (typeof restrictiveDecisionKinds)[number];

/** A parent was not sent the report because it was withheld (risk of significant harm). */
export type RestrictiveReason = 'report-withheld';
