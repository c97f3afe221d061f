/**
 * How long each kind of record is kept (docs/data-protection.md gives the source of each
 * period). DynamoDB TTL deletes an item once `expiresAt` (epoch seconds) has passed.
 */
export const retentionYears = {
  /** Every register entry for at least six years (School Attendance (Pupil Registration) (England) Regulations 2024, reg. 7). */
  attendanceMark: 6,
  pupilProfile: 25,
  interventionRecord: 25,
  restorativeRecord: 25,
  incident: 25,
  /**
   * Statutory record of force, restraint or seclusion: part of the pupil's file (it travels
   * with the child) and the school's own record (IRMS schools toolkit, restrictive interventions).
   */
  restrictiveIntervention: 25,
  /** SDQ scale scores: part of the pupil's SEN/educational record. */
  outcomeMeasure: 25,
  rosterReceipt: 3,
  notificationDecision: 3,
  /** That parents were told of a use of reasonable force belongs with the incident record. */
  reasonableForceNotification: 25,
  rollup: 6,
} as const;

export type RetainedRecord = keyof typeof retentionYears;

/** Epoch seconds at which a record dated `date` (YYYY-MM-DD) may be deleted. */
export function expiresAt(record: RetainedRecord, date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // setUTCFullYear, unlike Date.UTC, takes years 0..99 literally; a day past the month's end
  // rolls over (29 February to 1 March in a non-leap year).
  return new Date(0).setUTCFullYear(year + retentionYears[record], month - 1, day + 1) / 1000;
}
