import { attendanceCategory, type AttendanceCode } from '../../../events/attendance-codes';
import type { AttendanceFigures, MarkRecord, PupilCounters, SessionTally } from './types';

/**
 * Attendance figures by the DfE codes (contract section 5). A code's meaning comes from
 * events/attendance-codes.ts only; every threshold is decided here, once.
 *
 * - possible session: any code except the "not counted" ones (D X Q Y1..Y7 Z #);
 * - absent: authorised (C C1 C2 E I J1 M R S T) or unauthorised (G N O U) absence;
 * - present (`/ \ L`) and attending approved education off site (K V P W B) are possible
 *   sessions that are not absences;
 * - rate = (possible − absent) / possible, and 1 when there are no possible sessions
 *   (nothing was missed; `possibleSessions: 0` tells a holiday week apart);
 * - persistent absence: absent for 10% or more of possible sessions; severe: 50% or more.
 *   A pupil with no possible sessions is neither.
 */

export const emptyTally = (): SessionTally => ({ possible: 0, present: 0, approvedOffSite: 0, authorised: 0, unauthorised: 0, notCounted: 0, late: 0 });

/** Adds one mark to a tally. The stored mark is already the latest (corrections replace it). */
export function tallyMark(tally: SessionTally, code: string): SessionTally {
  const category = attendanceCategory(code as AttendanceCode);
  if (category === 'notPossible') {
    tally.notCounted++;
    return tally;
  }
  tally.possible++;
  if (category === 'present') {
    tally.present++;
    if (code === 'L') tally.late++;
  } else if (category === 'approvedOffSite') tally.approvedOffSite++;
  else if (category === 'authorisedAbsence') tally.authorised++;
  else tally.unauthorised++;
  return tally;
}

export const absentOf = (tally: { authorised: number; unauthorised: number }) => tally.authorised + tally.unauthorised;

export function attendanceRate(possible: number, absent: number): number {
  return possible === 0 ? 1 : (possible - absent) / possible;
}

/** Like attendanceRate, but null where there is nothing to compare (no possible sessions). */
export function comparableRate(possible: number, absent: number): number | null {
  return possible === 0 ? null : attendanceRate(possible, absent);
}

/** The DfE's thresholds (contract section 5), in whole percent so the comparisons are exact. */
export const absenceThresholds = { persistentPercent: 10, severePercent: 50 } as const;

/** ≥ 10% of possible sessions absent (absent / possible ≥ 10/100, in integers). */
export function isPersistentlyAbsent(possible: number, absent: number): boolean {
  return possible > 0 && absent * 100 >= possible * absenceThresholds.persistentPercent;
}

/** ≥ 50% of possible sessions absent. */
export function isSeverelyAbsent(possible: number, absent: number): boolean {
  return possible > 0 && absent * 100 >= possible * absenceThresholds.severePercent;
}

export const countersOf = (tally: SessionTally): PupilCounters => [tally.possible, tally.authorised, tally.unauthorised];
export const possibleOf = (counters: PupilCounters) => counters[0];
export const absentOfCounters = (counters: PupilCounters) => counters[1] + counters[2];

export function addCounters(a: PupilCounters | undefined, b: PupilCounters): PupilCounters {
  return a ? [a[0] + b[0], a[1] + b[1], a[2] + b[2]] : [...b];
}

export interface AttendanceWeek {
  figures: AttendanceFigures;
  /** Year-to-date counters to the end of the week, by pupilId (the carried state). */
  yearToDate: Record<string, PupilCounters>;
  /** This week's tally per pupil (for "falling attendance"). */
  weekByPupil: Map<string, SessionTally>;
}

/**
 * One week's attendance: this week's marks, plus the counters carried from last week.
 * `before` must be counters of the same academic year (the caller resets them on 1 September);
 * marks dated before `yearStart` count for the week but not for the year to date.
 */
export function attendanceWeek(input: { marks: MarkRecord[]; before: Record<string, PupilCounters>; yearStart: string; weekEnd: string }): AttendanceWeek {
  const week = emptyTally();
  const weekByPupil = new Map<string, SessionTally>();
  const yearByPupil = new Map<string, SessionTally>();
  for (const mark of input.marks) {
    tallyMark(week, mark.code);
    tallyMark(getOrAdd(weekByPupil, mark.pupilId), mark.code);
    if (mark.date >= input.yearStart) tallyMark(getOrAdd(yearByPupil, mark.pupilId), mark.code);
  }

  const yearToDate: Record<string, PupilCounters> = {};
  for (const pupilId of [...new Set([...Object.keys(input.before), ...yearByPupil.keys()])].sort()) {
    const thisWeek = yearByPupil.get(pupilId);
    const counters = thisWeek ? addCounters(input.before[pupilId], countersOf(thisWeek)) : ([...input.before[pupilId]!] as PupilCounters);
    yearToDate[pupilId] = counters;
  }

  const persistent: string[] = [];
  const severe: string[] = [];
  const newlyPersistent: string[] = [];
  const year = { possible: 0, authorised: 0, unauthorised: 0, pupils: 0 };
  // Sorted explicitly: object keys that look like integers don't keep insertion order.
  for (const pupilId of Object.keys(yearToDate).sort()) {
    const counters = yearToDate[pupilId]!;
    const [possible, authorised, unauthorised] = counters;
    year.possible += possible;
    year.authorised += authorised;
    year.unauthorised += unauthorised;
    if (possible > 0) year.pupils++;
    if (!isPersistentlyAbsent(possible, authorised + unauthorised)) continue;
    persistent.push(pupilId);
    if (isSeverelyAbsent(possible, authorised + unauthorised)) severe.push(pupilId);
    const previous = input.before[pupilId];
    if (!previous || !isPersistentlyAbsent(possibleOf(previous), absentOfCounters(previous))) newlyPersistent.push(pupilId);
  }

  const absent = absentOf(week);
  const yearAbsent = year.authorised + year.unauthorised;
  return {
    figures: {
      possibleSessions: week.possible,
      absentSessions: absent,
      rate: attendanceRate(week.possible, absent),
      presentSessions: week.present,
      approvedOffSiteSessions: week.approvedOffSite,
      authorisedAbsentSessions: week.authorised,
      unauthorisedAbsentSessions: week.unauthorised,
      notCountedSessions: week.notCounted,
      lateSessions: week.late,
      persistentAbsentees: persistent,
      severeAbsentees: severe,
      newlyPersistentAbsentees: newlyPersistent,
      yearToDate: {
        from: input.yearStart,
        to: input.weekEnd,
        possibleSessions: year.possible,
        absentSessions: yearAbsent,
        rate: attendanceRate(year.possible, yearAbsent),
        authorisedAbsentSessions: year.authorised,
        unauthorisedAbsentSessions: year.unauthorised,
        pupils: year.pupils,
      },
    },
    yearToDate,
    weekByPupil,
  };
}

function getOrAdd(map: Map<string, SessionTally>, pupilId: string): SessionTally {
  let tally = map.get(pupilId);
  if (!tally) map.set(pupilId, (tally = emptyTally()));
  return tally;
}
