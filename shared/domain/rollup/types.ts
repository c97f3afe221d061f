/**
 * The weekly rollup's inputs (stored records, as read by Query), its carried state and its
 * figures. Pure data: the rules live beside, one file per kind of figure.
 */
import type { interventionOutcomes, interventionKinds } from '../../../events/intervention';
import type { restorativeFormats } from '../../../events/restorative';
import type { IncidentVersion } from '../incident-versions';
import type { RestrictiveFigures, SdqImpactFigures, SdqPoint } from './restrictive-sdq-types';

// ---------------------------------------------------------------------------------------------
// Inputs: what one school-week's Queries return

/** One register mark (the stored item is already the latest for its pupil, date and session). */
export interface MarkRecord {
  pupilId: string;
  date: string;
  session: string;
  code: string;
  minutesLate?: number;
}

/** A journal item of the school-week (gsi2): intervention, restorative or incident event. */
export interface JournalRecord {
  eventId: string;
  type: string;
  date: string;
  occurredAtUtc: string;
  pupilIds: string[];
  data: Record<string, unknown>;
}

/** A notification decision of the school-week (gsi2 `notification#…`). */
export interface NotificationRecord {
  status: string;
  reason?: string;
  kind?: string;
}

export interface WeekRecords {
  marks: MarkRecord[];
  /** intervention.started, intervention.session.recorded, intervention.ended */
  interventions: JournalRecord[];
  restorative: JournalRecord[];
  incidents: JournalRecord[];
  /**
   * Every stored version of each incident above, by incidentId, wherever filed: an incident
   * counts once, where its latest version is (absent for records stored before versions were).
   */
  incidentVersions?: Record<string, IncidentVersion[]>;
  notifications: NotificationRecord[];
  /** v2: restrictive.intervention.recorded and outcome.measure.recorded of the week. */
  restrictive?: JournalRecord[];
  measures?: JournalRecord[];
  /** v2: the roster's `sen` of the pupils in this week's restrictive records. */
  senByPupil?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Carried state: what next week's rollup starts from (pre-aggregation)

/** Year-to-date sessions of one pupil: `[possible, authorised absent, unauthorised absent]`. */
export type PupilCounters = [possible: number, authorised: number, unauthorised: number];

export interface TargetScore {
  score: number;
  /** `<date>#<occurredAtUtc>#<eventId>` of the record that gave it: the latest wins. */
  at: string;
}

export interface CarriedIntervention {
  interventionId: string;
  /** The envelope pupil and any group pupils. */
  pupilIds: string[];
  kind: (typeof interventionKinds)[number];
  startDate: string;
  /** occurredAtUtc of the start event applied (a later start event replaces its details). */
  startedAt: string;
  plannedSessions?: number;
  targets: { targetId: string; baseline: number; goal: number }[];
  /** Distinct sessionIds recorded so far. */
  sessionIds: string[];
  /** Latest score per targetId. */
  scores: Record<string, TargetScore>;
}

export interface FollowUp {
  sessionId: string;
  date: string;
}

/** The numbers next week compares against ("change from last week"). */
export interface Headline {
  week: string;
  possibleSessions: number;
  absentSessions: number;
  /** null when there were no possible sessions (a holiday week): nothing to compare. */
  attendanceRate: number | null;
  yearToDateRate: number | null;
  persistentAbsentees: number;
  severeAbsentees: number;
  incidents: number;
  reasonableForce: number;
  interventionsActive: number;
  restorativeSessions: number;
  notificationsSent: number;
  notificationsSuppressed: number;
  pupilsToLookAt: number;
  /** v2 (absent in states stored before it). */
  restrictiveInterventions?: number;
}

export interface RollupState {
  week: string;
  /** The academic year the attendance counters belong to (1 September). */
  academicYearStart: string;
  /** pupilId → year-to-date counters to the end of `week`. */
  attendance: Record<string, PupilCounters>;
  /** Interventions active at the end of `week`, by interventionId. */
  interventions: CarriedIntervention[];
  /** Restorative follow-ups dated after the end of `week`. */
  followUps: FollowUp[];
  /** Incidents per pupil in `week` (for "rising incidents" next week). */
  incidentsByPupil: Record<string, number>;
  headline: Headline;
  /** v2: dates of each pupil's restrictive records in the four weeks to the week's end. */
  restrictiveRecent?: Record<string, string[]>;
  /** v2: each pupil's SDQ measures (the latest few), for "did it help?" when an intervention ends. */
  sdq?: Record<string, SdqPoint[]>;
}

// ---------------------------------------------------------------------------------------------
// Figures: what is stored, printed by `tracker rollup --json` and emailed

export interface SessionTally {
  possible: number;
  present: number;
  approvedOffSite: number;
  authorised: number;
  unauthorised: number;
  notCounted: number;
  late: number;
}

export interface AttendanceFigures {
  /** This week's sessions (contract: possibleSessions, absentSessions, rate). */
  possibleSessions: number;
  absentSessions: number;
  rate: number;
  presentSessions: number;
  approvedOffSiteSessions: number;
  authorisedAbsentSessions: number;
  unauthorisedAbsentSessions: number;
  /** Marks with a code that is not a possible session (D, X, Q, Y1..Y7, Z, #). */
  notCountedSessions: number;
  /** `L` marks (late before registers closed: present). `U` counts as unauthorised. */
  lateSessions: number;
  /** Year to date (from 1 September) to the end of the week, by pupilId (contract). */
  persistentAbsentees: string[];
  severeAbsentees: string[];
  /** Persistent now, and not at the end of last week. */
  newlyPersistentAbsentees: string[];
  yearToDate: {
    from: string;
    to: string;
    possibleSessions: number;
    absentSessions: number;
    rate: number;
    authorisedAbsentSessions: number;
    unauthorisedAbsentSessions: number;
    /** Pupils with at least one possible session this academic year. */
    pupils: number;
  };
}

export type InterventionOutcome = (typeof interventionOutcomes)[number];

export interface InterventionFigures {
  /** Active at the end of the week. */
  active: number;
  /** Distinct pupils in the active interventions. */
  pupilsSupported: number;
  started: number;
  ended: { total: number; byOutcome: Record<InterventionOutcome, number> };
  /** This week's session records. */
  sessions: { recorded: number; attended: number; attendanceRate: number | null; meanEngagement: number | null };
  /** Interventions active during the week with planned sessions: sessions held so far vs planned. */
  delivery: { interventions: number; delivered: number; planned: number };
  /**
   * Latest score of each target of the interventions active during the week: change from
   * baseline in points toward the goal (negative = away), and the fraction of the way there.
   */
  targets: { scored: number; meanChange: number | null; meanProgress: number | null };
}

export type RestorativeFormat = (typeof restorativeFormats)[number];

export interface RestorativeFigures {
  sessions: number;
  byFormat: Record<RestorativeFormat, number>;
  /** Sessions that recorded whether an agreement was reached, and how many did. */
  agreementRecorded: number;
  agreementReached: number;
  agreementRate: number | null;
  /** Follow-ups dated in the coming week (from sessions of this and earlier weeks). */
  followUpsDue: number;
  followUpsDueFrom: string;
  followUpsDueTo: string;
}

export interface IncidentFigures {
  total: number;
  byCategory: Record<string, number>;
  bySeverity: Record<'1' | '2' | '3' | '4' | '5', number>;
  reasonableForce: number;
  reasonableForceWithInjury: number;
  /** Distinct pupils involved. */
  pupils: number;
  previousWeekTotal: number | null;
  change: number | null;
}

export interface NotificationFigures {
  total: number;
  sent: number;
  suppressed: number;
  byStatus: Record<string, number>;
  suppressedByReason: Record<string, number>;
}

export type LookReason = 'rising-incidents' | 'falling-attendance' | 'persistent-absence-without-intervention';

export interface PupilToLookAt {
  pupilId: string;
  reasons: LookReason[];
  incidentsThisWeek: number;
  incidentsLastWeek: number;
  /** Attendance this week and year to date before this week (null: no possible sessions). */
  weekRate: number | null;
  rateBefore: number | null;
  yearToDateRate: number | null;
}

export interface RollupFigures {
  schoolId: string;
  week: string;
  weekStart: string;
  weekEnd: string;
  attendance: AttendanceFigures;
  interventions: InterventionFigures;
  restorative: RestorativeFigures;
  incidents: IncidentFigures;
  notifications: NotificationFigures;
  pupilsToLookAt: PupilToLookAt[];
  /** Last week's headline numbers (null when last week had no rollup to compare with). */
  previousWeek: Headline | null;
  /** v2 (absent from figures stored before it). */
  restrictive?: RestrictiveFigures;
  sdqImpact?: SdqImpactFigures;
}
