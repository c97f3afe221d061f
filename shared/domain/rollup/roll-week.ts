import { academicYearStart, addDays, isoWeekOf, previousWeek, weekEnd, weekStart } from '../calendar';
import { attendanceWeek, comparableRate } from './attendance';
import { incidentWeek } from './incidents';
import { interventionWeek } from './interventions';
import { notificationFigures } from './notifications';
import { pupilsToLookAt } from './pupils-to-look-at';
import { restorativeWeek } from './restorative';
import { restrictiveWeek } from './restrictive';
import { foldMeasures, sdqImpact } from './sdq-impact';
import type { Headline, RollupFigures, RollupState, WeekRecords } from './types';

/**
 * Week W = the state carried from week W−1 + week W's own records. Pure and deterministic:
 * the same state and records always give the same figures, so a re-run stores the same
 * figures, and rebuilding a missing week from its records gives what a stored one would.
 */
export function rollWeek(input: { schoolId: string; week: string; base: RollupState | undefined; records: WeekRecords }): {
  figures: RollupFigures;
  state: RollupState;
} {
  const { schoolId, week, base, records } = input;
  if (base && base.week !== previousWeek(week)) throw new Error(`rollup of ${week} must start from ${previousWeek(week)}, not ${base.week}`);
  const start = weekStart(week);
  const end = weekEnd(week);
  const yearStart = academicYearStart(end);
  // Year-to-date counters start again on 1 September; interventions and follow-ups carry on.
  const before = base && base.academicYearStart === yearStart ? base.attendance : {};

  const attendance = attendanceWeek({ marks: records.marks, before, yearStart, weekEnd: end });
  const interventions = interventionWeek(base?.interventions ?? [], records.interventions);
  const restorative = restorativeWeek(base?.followUps ?? [], records.restorative, end);
  const incidents = incidentWeek(records.incidents, base ? base.headline.incidents : null, records.incidentVersions);
  const notifications = notificationFigures(records.notifications);
  const restrictive = restrictiveWeek({
    records: records.restrictive ?? [],
    recentBefore: base?.restrictiveRecent ?? {},
    senByPupil: records.senByPupil ?? {},
    previousWeekTotal: base?.headline.restrictiveInterventions ?? null,
    weekEnd: end,
  });
  // This week's measures first: a measure taken on the last day counts as "after".
  const sdq = foldMeasures(base?.sdq ?? {}, records.measures ?? []);
  const lookAt = pupilsToLookAt({
    incidentsThisWeek: incidents.byPupil,
    incidentsLastWeek: base?.incidentsByPupil ?? {},
    weekByPupil: attendance.weekByPupil,
    before,
    yearToDate: attendance.yearToDate,
    activeInterventions: interventions.active,
  });

  const figures: RollupFigures = {
    schoolId,
    week,
    weekStart: start,
    weekEnd: end,
    attendance: attendance.figures,
    interventions: interventions.figures,
    restorative: restorative.figures,
    incidents: incidents.figures,
    notifications,
    pupilsToLookAt: lookAt,
    previousWeek: base ? base.headline : null,
    restrictive: restrictive.figures,
    sdqImpact: sdqImpact(interventions.ended, sdq),
  };
  return {
    figures,
    state: {
      week,
      academicYearStart: yearStart,
      attendance: attendance.yearToDate,
      interventions: interventions.active,
      followUps: restorative.followUps,
      incidentsByPupil: incidents.byPupil,
      headline: headlineOf(figures),
      restrictiveRecent: restrictive.recent,
      sdq,
    },
  };
}

/** The numbers the next week's email compares with. */
export function headlineOf(figures: RollupFigures): Headline {
  const { attendance } = figures;
  return {
    week: figures.week,
    possibleSessions: attendance.possibleSessions,
    absentSessions: attendance.absentSessions,
    attendanceRate: comparableRate(attendance.possibleSessions, attendance.absentSessions),
    yearToDateRate: comparableRate(attendance.yearToDate.possibleSessions, attendance.yearToDate.absentSessions),
    persistentAbsentees: attendance.persistentAbsentees.length,
    severeAbsentees: attendance.severeAbsentees.length,
    incidents: figures.incidents.total,
    reasonableForce: figures.incidents.reasonableForce,
    interventionsActive: figures.interventions.active,
    restorativeSessions: figures.restorative.sessions,
    notificationsSent: figures.notifications.sent,
    notificationsSuppressed: figures.notifications.suppressed,
    pupilsToLookAt: figures.pupilsToLookAt.length,
    restrictiveInterventions: figures.restrictive?.total ?? 0,
  };
}

/** How far back a stored state may be used as the base of a rebuild. */
export const rebuildLookbackWeeks = 52;

export function weeksBefore(week: string, count: number): string {
  return isoWeekOf(addDays(weekStart(week), -7 * count));
}

function nextWeek(week: string): string {
  return isoWeekOf(addDays(weekStart(week), 7));
}

/**
 * The weeks to fold, oldest first, before rolling up `week`, given the newest stored state
 * found in [week − 52, week − 1]:
 * - that state is last week's: none (the usual case: one GetItem-sized read);
 * - an older one: the weeks after it, up to last week;
 * - none: the academic year's weeks (from the one holding 1 September), or at least last
 *   week, starting from nothing.
 * Bounded either way: at most 52 weeks, never all history.
 */
export function weeksToFold(week: string, baseWeek: string | undefined): string[] {
  const last = previousWeek(week);
  if (baseWeek && baseWeek >= weeksBefore(week, rebuildLookbackWeeks) && baseWeek < week) {
    const weeks: string[] = [];
    for (let next = nextWeek(baseWeek); next < week; next = nextWeek(next)) weeks.push(next);
    return weeks;
  }
  const firstOfYear = isoWeekOf(academicYearStart(weekEnd(week)));
  const weeks: string[] = [];
  // ISO weeks compare as strings, so Math.min does not apply.
  // biome-ignore lint/complexity/useMathMinMax: string comparison
  for (let next = firstOfYear < last ? firstOfYear : last; next < week; next = nextWeek(next)) weeks.push(next);
  return weeks;
}
