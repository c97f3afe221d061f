import { absentOf, absentOfCounters, comparableRate, isPersistentlyAbsent, possibleOf } from './attendance';
import type { CarriedIntervention, LookReason, PupilCounters, PupilToLookAt, SessionTally } from './types';

/**
 * Pupils a leader should look at this week (ids here; names only in the leaders' email):
 *
 * - rising incidents: at least 2 incidents this week, and more than last week;
 * - falling attendance: at least 4 possible sessions this week and 10 before it this
 *   academic year, and this week's rate at least 25 percentage points below the rate to the
 *   end of last week (with 10 sessions a week, one day off sick is 20 points: not flagged);
 * - persistent absence without intervention: persistently absent (year to date) and in no
 *   intervention active at the end of the week (as the pupil or a group member).
 */
export const lookAtThresholds = {
  risingIncidentsMin: 2,
  fallingAttendanceMinWeekSessions: 4,
  fallingAttendanceMinSessionsBefore: 10,
  /** Percentage points, as a whole number so the comparison is exact. */
  fallingAttendanceDropPoints: 25,
} as const;

export function isRisingIncidents(thisWeek: number, lastWeek: number): boolean {
  return thisWeek >= lookAtThresholds.risingIncidentsMin && thisWeek > lastWeek;
}

/** Exact in integers: (wp−wa)/wp ≤ (bp−ba)/bp − drop/100. */
export function isFallingAttendance(week: { possible: number; absent: number }, before: { possible: number; absent: number }): boolean {
  const { fallingAttendanceMinWeekSessions, fallingAttendanceMinSessionsBefore, fallingAttendanceDropPoints } = lookAtThresholds;
  if (week.possible < fallingAttendanceMinWeekSessions || before.possible < fallingAttendanceMinSessionsBefore) return false;
  return (
    100 * (week.possible - week.absent) * before.possible <=
    100 * (before.possible - before.absent) * week.possible - fallingAttendanceDropPoints * week.possible * before.possible
  );
}

export function pupilsToLookAt(input: {
  incidentsThisWeek: Record<string, number>;
  incidentsLastWeek: Record<string, number>;
  weekByPupil: Map<string, SessionTally>;
  /** Year-to-date counters to the end of last week (same academic year). */
  before: Record<string, PupilCounters>;
  yearToDate: Record<string, PupilCounters>;
  activeInterventions: CarriedIntervention[];
}): PupilToLookAt[] {
  const supported = new Set(input.activeInterventions.flatMap((intervention) => intervention.pupilIds));
  const candidates = new Set([...Object.keys(input.incidentsThisWeek), ...input.weekByPupil.keys(), ...Object.keys(input.yearToDate)]);
  const found: PupilToLookAt[] = [];
  for (const pupilId of [...candidates].sort()) {
    const reasons: LookReason[] = [];
    const thisWeek = input.incidentsThisWeek[pupilId] ?? 0;
    const lastWeek = input.incidentsLastWeek[pupilId] ?? 0;
    if (isRisingIncidents(thisWeek, lastWeek)) reasons.push('rising-incidents');

    const week = input.weekByPupil.get(pupilId);
    const weekCounts = { possible: week?.possible ?? 0, absent: week ? absentOf(week) : 0 };
    const beforeCounters = input.before[pupilId];
    const beforeCounts = { possible: beforeCounters ? possibleOf(beforeCounters) : 0, absent: beforeCounters ? absentOfCounters(beforeCounters) : 0 };
    if (isFallingAttendance(weekCounts, beforeCounts)) reasons.push('falling-attendance');

    const year = input.yearToDate[pupilId];
    if (year && isPersistentlyAbsent(possibleOf(year), absentOfCounters(year)) && !supported.has(pupilId)) {
      reasons.push('persistent-absence-without-intervention');
    }
    if (reasons.length === 0) continue;
    found.push({
      pupilId,
      reasons,
      incidentsThisWeek: thisWeek,
      incidentsLastWeek: lastWeek,
      weekRate: comparableRate(weekCounts.possible, weekCounts.absent),
      rateBefore: comparableRate(beforeCounts.possible, beforeCounts.absent),
      yearToDateRate: year ? comparableRate(possibleOf(year), absentOfCounters(year)) : null,
    });
  }
  return found;
}
