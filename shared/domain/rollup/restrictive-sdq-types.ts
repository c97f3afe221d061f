/**
 * Types of the two v2 figures (contract sections 7 and 8), kept beside types.ts so that file
 * stays about v1: restrictive interventions, and the SDQ's "did it help?" per intervention kind.
 */
import type { interventionKinds } from '../../../events/intervention';
import type { RestrictiveType } from '../../../events/restrictive';
import type { SdqBand } from '../sdq';

export type InterventionKindName = (typeof interventionKinds)[number];

export interface RepeatPupil {
  pupilId: string;
  /** Records this week, and in the four weeks to the week's end (this week included). */
  thisWeek: number;
  lastFourWeeks: number;
  minutesThisWeek: number;
}

export interface RestrictiveFigures {
  /** Records (one per recordId: an amended record counts once, the latest). */
  total: number;
  /** A record may name more than one type, so these can add up to more than `total`. */
  byType: Record<RestrictiveType, number>;
  pupils: number;
  /** Of those pupils, how many have SEN (the record's senAtTime, else the roster's sen). */
  pupilsWithSen: number;
  totalMinutes: number;
  /** Records with an injury to the pupil, to staff, and to either. */
  injuries: { pupil: number; staff: number; any: number };
  previousWeekTotal: number | null;
  change: number | null;
  /** Pupils with a record this week and two or more in the four weeks to its end. */
  repeatPupils: RepeatPupil[];
}

/** One pupil's SDQ before and after an intervention that ended this week. */
export interface SdqPair {
  interventionId: string;
  pupilId: string;
  kind: InterventionKindName;
  before: { date: string; totalDifficulties: number; band: SdqBand };
  after: { date: string; totalDifficulties: number; band: SdqBand };
  /** after − before: negative means fewer difficulties. */
  change: number;
  movement: 'lower' | 'same' | 'higher';
}

export interface SdqKindImpact {
  /** Pupils with a measure on/before the start and one on/after the end. */
  measured: number;
  /** Sum of the changes (kept so the trust can add schools up exactly). */
  totalChange: number;
  meanChange: number | null;
  movedLower: number;
  sameBand: number;
  movedHigher: number;
}

export interface SdqImpactFigures {
  /** Interventions that ended this week (with a known start), and of them how many pupils had both measures. */
  endedInterventions: number;
  byKind: Partial<Record<InterventionKindName, SdqKindImpact>>;
  pairs: SdqPair[];
}

/** One SDQ kept in the carried state (scale scores are not needed once the total is known). */
export interface SdqPoint {
  measureId: string;
  date: string;
  totalDifficulties: number;
  /** `<date>#<occurredAtUtc>#<eventId>`: an amended measure (same measureId) replaces the older one. */
  at: string;
}
