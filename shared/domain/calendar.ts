/**
 * Dates as schools use them: ISO weeks (Monday first), academic years from 1 September,
 * and "today" in the school's own timezone. Plain YYYY-MM-DD strings throughout, so a
 * date never shifts by an hour across a clock change.
 */

const DAY_MS = 86_400_000;

function toUtcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDate(new Date(toUtcDate(date).getTime() + days * DAY_MS));
}

/** ISO 8601 week of a date, as `YYYY-Www`. */
export function isoWeekOf(date: string): string {
  const day = toUtcDate(date);
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const weekPattern = /^(\d{4})-W(\d{2})$/;

export function isIsoWeek(week: string): boolean {
  const match = weekPattern.exec(week);
  if (!match) return false;
  return isoWeekOf(weekStart(week)) === week;
}

/** Monday of an ISO week. */
export function weekStart(week: string): string {
  const match = weekPattern.exec(week);
  if (!match) throw new Error(`not an ISO week (YYYY-Www): ${week}`);
  const [, year, number] = match;
  const jan4 = toUtcDate(`${year}-01-04`);
  const mondayOfWeek1 = jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * DAY_MS;
  return formatDate(new Date(mondayOfWeek1 + (Number(number) - 1) * 7 * DAY_MS));
}

/** Sunday of an ISO week. */
export function weekEnd(week: string): string {
  return addDays(weekStart(week), 6);
}

export function previousWeek(week: string): string {
  return isoWeekOf(addDays(weekStart(week), -7));
}

/** 1 September on or before the date: the start of its academic year. */
export function academicYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${month >= 9 ? year : year - 1}-09-01`;
}

/** Every ISO week from the one holding `from` to the one holding `to`, inclusive. */
export function weeksBetween(from: string, to: string): string[] {
  const weeks: string[] = [];
  for (let week = isoWeekOf(from); weekStart(week) <= to; week = isoWeekOf(addDays(weekStart(week), 7))) {
    weeks.push(week);
  }
  return weeks;
}

/** The calendar date of an instant in a timezone (e.g. Europe/London). */
export function dateInZone(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The ISO week that ended most recently before this instant, in the school's timezone. */
export function weekJustEnded(instant: Date, timeZone: string): string {
  return isoWeekOf(addDays(dateInZone(instant, timeZone), -7));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
