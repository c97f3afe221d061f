import { attendanceRate } from './attendance';
import type { RollupFigures } from './types';

/**
 * The trust's weekly comparison: one row per school and the trust's totals, from each
 * school's stored figures (no pupil ids or names leave the school in it).
 */
export interface TrustRow {
  schoolId: string;
  name: string;
  possibleSessions: number;
  absentSessions: number;
  attendanceRate: number;
  persistentAbsentees: number;
  incidents: number;
  incidentsChange: number | null;
  reasonableForce: number;
  interventionsActive: number;
  notificationsSent: number;
  notificationsSuppressed: number;
  pupilsToLookAt: number;
}

export type TrustTotals = Omit<TrustRow, 'schoolId' | 'name' | 'incidentsChange'>;

export type SchoolLookReason = 'low-attendance' | 'high-persistent-absence' | 'rising-incidents' | 'reasonable-force';

export interface SchoolToLookAt {
  schoolId: string;
  name: string;
  reasons: SchoolLookReason[];
}

/** When a school "needs a look" in the trust summary; decided here only. */
export const schoolLookThresholds = {
  /** This week's attendance below 90% (with sessions recorded). */
  lowAttendanceRate: 0.9,
  /** Persistent absentees at 20% or more of the pupils with sessions this year. */
  persistentAbsenceShare: 0.2,
  /** Incidents up by at least this many on last week. */
  risingIncidents: 5,
} as const;

export function trustRow(name: string, figures: RollupFigures): TrustRow {
  return {
    schoolId: figures.schoolId,
    name,
    possibleSessions: figures.attendance.possibleSessions,
    absentSessions: figures.attendance.absentSessions,
    attendanceRate: figures.attendance.rate,
    persistentAbsentees: figures.attendance.persistentAbsentees.length,
    incidents: figures.incidents.total,
    incidentsChange: figures.incidents.change,
    reasonableForce: figures.incidents.reasonableForce,
    interventionsActive: figures.interventions.active,
    notificationsSent: figures.notifications.sent,
    notificationsSuppressed: figures.notifications.suppressed,
    pupilsToLookAt: figures.pupilsToLookAt.length,
  };
}

export function trustTotals(rows: TrustRow[]): TrustTotals {
  const sum = (pick: (row: TrustRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const possibleSessions = sum((row) => row.possibleSessions);
  const absentSessions = sum((row) => row.absentSessions);
  return {
    possibleSessions,
    absentSessions,
    attendanceRate: attendanceRate(possibleSessions, absentSessions),
    persistentAbsentees: sum((row) => row.persistentAbsentees),
    incidents: sum((row) => row.incidents),
    reasonableForce: sum((row) => row.reasonableForce),
    interventionsActive: sum((row) => row.interventionsActive),
    notificationsSent: sum((row) => row.notificationsSent),
    notificationsSuppressed: sum((row) => row.notificationsSuppressed),
    pupilsToLookAt: sum((row) => row.pupilsToLookAt),
  };
}

export function schoolsToLookAt(schools: { name: string; figures: RollupFigures }[]): SchoolToLookAt[] {
  return schools.flatMap(({ name, figures }) => {
    const reasons: SchoolLookReason[] = [];
    const { attendance, incidents } = figures;
    if (attendance.possibleSessions > 0 && attendance.rate < schoolLookThresholds.lowAttendanceRate) reasons.push('low-attendance');
    const pupils = attendance.yearToDate.pupils;
    if (pupils > 0 && attendance.persistentAbsentees.length >= schoolLookThresholds.persistentAbsenceShare * pupils) reasons.push('high-persistent-absence');
    if (incidents.change !== null && incidents.change >= schoolLookThresholds.risingIncidents) reasons.push('rising-incidents');
    if (incidents.reasonableForce > 0 || (figures.restrictive?.total ?? 0) > 0) reasons.push('reasonable-force');
    return reasons.length ? [{ schoolId: figures.schoolId, name, reasons }] : [];
  });
}
