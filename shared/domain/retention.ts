/**
 * How long each kind of record is kept (docs/data-protection.md gives the source of each
 * period). DynamoDB TTL deletes an item once `expiresAt` (epoch seconds) has passed.
 */
export const retentionYears = {
  attendanceMark: 3,
  pupilProfile: 25,
  interventionRecord: 25,
  restorativeRecord: 25,
  incident: 25,
  rosterReceipt: 3,
  notificationDecision: 3,
  rollup: 6,
} as const;

export type RetainedRecord = keyof typeof retentionYears;

/** Epoch seconds at which a record dated `date` (YYYY-MM-DD) may be deleted. */
export function expiresAt(record: RetainedRecord, date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls 29 February over to 1 March in a non-leap year.
  return Date.UTC(year + retentionYears[record], month - 1, day + 1) / 1000;
}
