import { weekStart } from './calendar';

/**
 * Late corrections: a record that lands in a school-week after that week may have been
 * rolled up marks the week as changed, and the next rollup re-folds from the oldest changed
 * week (docs/rollups.md). Marking a week that was not rolled up yet only costs a re-read,
 * never a wrong figure, so the test is deliberately generous.
 */

/** The furthest any timezone is ahead of UTC (UTC+14): a week has ended somewhere by then. */
const aheadOfUtcMs = 14 * 60 * 60 * 1000;

/** Whether `week` has ended anywhere in the world at `now`, so its rollup may have run. */
export function weekMayBeRolledUp(week: string, now: Date): boolean {
  // Compared as instants (the Monday after the week, 00:00), not as date strings: a week in
  // year 9999 ends in 10000, which ISO strings write as +010000 and which sorts first.
  const mondayAfter = Date.parse(`${weekStart(week)}T00:00:00Z`) + 7 * 86_400_000;
  return mondayAfter <= now.getTime() + aheadOfUtcMs;
}

/** The distinct weeks to mark as changed, oldest first. */
export function weeksToMarkChanged(weeks: Iterable<string>, now: Date): string[] {
  return [...new Set(weeks)].filter((week) => weekMayBeRolledUp(week, now)).sort();
}

/** A changed-week marker as read back: `changes` counts the marks, so clearing one can't lose a newer one. */
export interface ChangedWeek {
  week: string;
  changes: number;
}

/**
 * Where the re-fold of a rollup of `week` starts: the oldest changed week before it, but no
 * further back than `floor` (the rebuild's one-year bound). Undefined: nothing changed.
 */
export function refoldStart(week: string, changed: readonly ChangedWeek[], floor: string): string | undefined {
  const oldest = changed
    .map((marker) => marker.week)
    .filter((marked) => marked < week)
    .sort()[0];
  if (!oldest) return undefined;
  return oldest < floor ? floor : oldest;
}
