/**
 * The weekly rollup schedule: Monday 07:00 in each school's timezone, for the ISO week just
 * ended. EventBridge Scheduler gets the cron expression; the local scheduler uses isDue.
 */
export const weeklyRollup = {
  scheduleExpression: 'cron(0 7 ? * MON *)',
  weekday: 1,
  hour: 7,
  defaultTimezone: 'Europe/London',
  target: 'schedule-rollups',
} as const;

/**
 * The trust summary's deadline: Monday 12:00 in each scheduled timezone, five hours after
 * the rollups start. Whatever schools have not rolled up by then, the summary goes without
 * them, naming them, so one stuck school cannot hold back the trust's email.
 */
export const trustSummaryDeadline = {
  scheduleExpression: 'cron(0 12 ? * MON *)',
  weekday: 1,
  hour: 12,
  target: 'trust-summary',
} as const;

/** Local wall-clock parts of an instant in a timezone. */
function localParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(instant);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find((p) => p.type === 'weekday')!.value);
  return { weekday, hour: Number(parts.find((p) => p.type === 'hour')!.value) };
}

/** True during Monday from 07:00 local time: the local scheduler fires once in that window. */
export function isWeeklyRollupDue(instant: Date, timeZone: string): boolean {
  const { weekday, hour } = localParts(instant, timeZone);
  return weekday === weeklyRollup.weekday && hour >= weeklyRollup.hour;
}

/** True during Monday from 12:00 local time: the local scheduler fires the deadline once then. */
export function isTrustSummaryDeadlineDue(instant: Date, timeZone: string): boolean {
  const { weekday, hour } = localParts(instant, timeZone);
  return weekday === trustSummaryDeadline.weekday && hour >= trustSummaryDeadline.hour;
}

/**
 * Whether `week`'s deadline has passed in a timezone: a later week has ended there, or it
 * is the week after `week` and past Monday 12:00 local. (ISO weeks `YYYY-Www` sort as text.)
 */
export function trustSummaryDeadlinePassed(instant: Date, timeZone: string, week: string, weekJustEnded: string): boolean {
  if (weekJustEnded !== week) return weekJustEnded > week;
  const { weekday, hour } = localParts(instant, timeZone);
  return weekday !== trustSummaryDeadline.weekday || hour >= trustSummaryDeadline.hour;
}
