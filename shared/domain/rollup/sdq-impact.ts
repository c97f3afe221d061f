import type { SdqScores } from '../../../events/outcome';
import { bandMovement, deriveSdq, sdqBand } from '../sdq';
import { compareText, recordOrder } from './order';
import type { InterventionKindName, SdqImpactFigures, SdqKindImpact, SdqPair, SdqPoint } from './restrictive-sdq-types';
import type { JournalRecord } from './types';

/**
 * "Did it help?" (contract section 8): for each intervention that ended this week, each of
 * its pupils with an SDQ on or before its start and one on or after its end. The nearest
 * measure to each side is used (the latest on/before the start, the earliest on/after the
 * end); the change is after − before in total difficulties (negative = fewer difficulties),
 * and the movement is between the total's bands. Per intervention kind, with sums kept so
 * the trust's figures add schools up exactly.
 */

/** SDQs kept per pupil in the carried state: enough for a baseline well before a start. */
export const sdqPointsKept = 12;

/** This week's measures folded onto the carried ones (an amended measureId replaces the older). */
export function foldMeasures(carried: Record<string, SdqPoint[]>, records: JournalRecord[]): Record<string, SdqPoint[]> {
  const next: Record<string, SdqPoint[]> = Object.fromEntries(
    Object.entries(carried).map(([pupilId, points]) => [pupilId, points.map((point) => ({ ...point }))]),
  );
  for (const record of records.filter((one) => one.type === 'outcome.measure.recorded').sort(recordOrder)) {
    const data = record.data as { measureId: string; date: string; scores: SdqScores };
    const pupilId = record.pupilIds[0]!;
    const at = `${record.date}#${record.occurredAtUtc}#${record.eventId}`;
    const points = (next[pupilId] ??= []);
    const existing = points.findIndex((point) => point.measureId === data.measureId);
    if (existing >= 0 && points[existing]!.at > at) continue;
    const point = { measureId: data.measureId, date: data.date, totalDifficulties: deriveSdq(data.scores).totalDifficulties, at };
    if (existing >= 0) points.splice(existing, 1, point);
    else points.push(point);
    points.sort((a, b) => compareText(a.date, b.date) || compareText(a.at, b.at));
    if (points.length > sdqPointsKept) points.splice(0, points.length - sdqPointsKept);
  }
  return next;
}

export interface EndedIntervention {
  interventionId: string;
  kind: InterventionKindName;
  pupilIds: string[];
  startDate: string;
  endDate: string;
}

const emptyKind = (): SdqKindImpact => ({ measured: 0, totalChange: 0, meanChange: null, movedLower: 0, sameBand: 0, movedHigher: 0 });

export function sdqImpact(ended: EndedIntervention[], measures: Record<string, SdqPoint[]>): SdqImpactFigures {
  const pairs: SdqPair[] = [];
  for (const intervention of [...ended].sort((a, b) => compareText(a.interventionId, b.interventionId))) {
    for (const pupilId of intervention.pupilIds) {
      const points = measures[pupilId] ?? [];
      const before = points.filter((point) => point.date <= intervention.startDate).at(-1);
      const after = points.find((point) => point.date >= intervention.endDate);
      if (!before || !after || before.measureId === after.measureId) continue;
      const bandBefore = sdqBand('total', before.totalDifficulties);
      const bandAfter = sdqBand('total', after.totalDifficulties);
      const moved = bandMovement(bandBefore, bandAfter);
      pairs.push({
        interventionId: intervention.interventionId,
        pupilId,
        kind: intervention.kind,
        before: { date: before.date, totalDifficulties: before.totalDifficulties, band: bandBefore },
        after: { date: after.date, totalDifficulties: after.totalDifficulties, band: bandAfter },
        change: after.totalDifficulties - before.totalDifficulties,
        movement: moved < 0 ? 'lower' : moved > 0 ? 'higher' : 'same',
      });
    }
  }
  return { endedInterventions: ended.length, byKind: impactByKind(pairs), pairs };
}

function impactByKind(pairs: SdqPair[]): SdqImpactFigures['byKind'] {
  const byKind: SdqImpactFigures['byKind'] = {};
  for (const pair of pairs) {
    const entry = (byKind[pair.kind] ??= emptyKind());
    entry.measured++;
    entry.totalChange += pair.change;
    if (pair.movement === 'lower') entry.movedLower++;
    else if (pair.movement === 'same') entry.sameBand++;
    else entry.movedHigher++;
  }
  return withMeans(byKind);
}

function withMeans(byKind: SdqImpactFigures['byKind']): SdqImpactFigures['byKind'] {
  for (const entry of Object.values(byKind)) entry.meanChange = entry.measured ? entry.totalChange / entry.measured : null;
  return byKind;
}

/** The trust's "did it help?": schools' per-kind sums added, then divided (not a mean of means). */
export function combineSdqImpact(schools: (SdqImpactFigures | undefined)[]): SdqImpactFigures['byKind'] {
  const byKind: SdqImpactFigures['byKind'] = {};
  for (const school of schools) {
    for (const [kind, impact] of Object.entries(school?.byKind ?? {}) as [InterventionKindName, SdqKindImpact][]) {
      const entry = (byKind[kind] ??= emptyKind());
      entry.measured += impact.measured;
      entry.totalChange += impact.totalChange;
      entry.movedLower += impact.movedLower;
      entry.sameBand += impact.sameBand;
      entry.movedHigher += impact.movedHigher;
    }
  }
  return withMeans(byKind);
}
