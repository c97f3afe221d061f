import type { InterventionEnded, InterventionSessionRecorded, InterventionStarted } from '../../../events/intervention';
import { interventionOutcomes } from '../../../events/vocabulary';
import { latestPerKey, recordOrder } from './order';
import type { CarriedIntervention, InterventionFigures, InterventionOutcome, JournalRecord, TargetScore } from './types';

/**
 * Interventions of one week, folded onto the interventions active at the end of last week.
 *
 * - active: started on or before the week's end and not ended by then;
 * - started / ended (by outcome): events of the week;
 * - sessions: this week's session records, how many the pupil attended, mean engagement (1..5)
 *   of the records that give one;
 * - delivery: for interventions active during the week (active at its end, or ended in it)
 *   that have plannedSessions: distinct sessions recorded so far vs planned;
 * - targets: each target's latest score (sessions' targetScores, an end's finalScores) of
 *   those interventions; change = (latest − baseline) in points toward the goal (negative
 *   when it moved away), progress = (latest − baseline) / (goal − baseline) (targets whose
 *   goal equals their baseline have a change but no progress). Means over scored targets.
 */

const byOutcome = (): Record<InterventionOutcome, number> =>
  Object.fromEntries(interventionOutcomes.map((outcome) => [outcome, 0])) as Record<InterventionOutcome, number>;

const clone = (intervention: CarriedIntervention): CarriedIntervention => ({
  ...intervention,
  pupilIds: [...intervention.pupilIds],
  targets: intervention.targets.map((target) => ({ ...target })),
  sessionIds: [...intervention.sessionIds],
  scores: Object.fromEntries(Object.entries(intervention.scores).map(([id, score]) => [id, { ...score }])),
});

function applyScores(scores: Record<string, TargetScore>, given: { targetId: string; score: number }[] | undefined, at: string) {
  for (const { targetId, score } of given ?? []) {
    const current = scores[targetId];
    if (!current || current.at <= at) scores[targetId] = { score, at };
  }
}

export interface InterventionWeek {
  figures: InterventionFigures;
  /** Active at the end of the week, sorted by interventionId (the carried state). */
  active: CarriedIntervention[];
  /** Ended this week, with a known start (for the SDQ's "did it help?"). */
  ended: (CarriedIntervention & { endDate: string })[];
}

export function interventionWeek(carried: CarriedIntervention[], records: JournalRecord[]): InterventionWeek {
  const active = new Map(carried.map((intervention) => [intervention.interventionId, clone(intervention)]));
  const ofType = (type: string) => records.filter((record) => record.type === type).sort(recordOrder);

  const starts = latestPerKey(ofType('intervention.started'), (record) => (record.data as InterventionStarted).interventionId);
  for (const record of starts) {
    const data = record.data as InterventionStarted;
    const existing = active.get(data.interventionId);
    if (existing && existing.startedAt > record.occurredAtUtc) continue;
    active.set(data.interventionId, {
      interventionId: data.interventionId,
      pupilIds: [...new Set([...record.pupilIds, ...(data.groupPupilIds ?? [])])].sort(),
      kind: data.kind,
      startDate: data.startDate,
      startedAt: record.occurredAtUtc,
      ...(data.plannedSessions !== undefined ? { plannedSessions: data.plannedSessions } : {}),
      targets: (data.targets ?? []).map(({ targetId, baseline, goal }) => ({ targetId, baseline, goal })),
      sessionIds: existing?.sessionIds ?? [],
      scores: existing?.scores ?? {},
    });
  }

  // A session recorded twice (same intervention, session and pupil) counts once: the latest.
  const sessions = latestPerKey(ofType('intervention.session.recorded'), (record) => {
    const data = record.data as InterventionSessionRecorded;
    return JSON.stringify([data.interventionId, data.sessionId, record.pupilIds[0] ?? '']);
  });
  let attended = 0;
  let engagementSum = 0;
  let engagementCount = 0;
  for (const record of sessions) {
    const data = record.data as InterventionSessionRecorded;
    if (data.attended) attended++;
    if (data.engagement !== undefined) {
      engagementSum += data.engagement;
      engagementCount++;
    }
    const intervention = active.get(data.interventionId);
    if (!intervention) continue;
    if (!intervention.sessionIds.includes(data.sessionId)) intervention.sessionIds.push(data.sessionId);
    applyScores(intervention.scores, data.targetScores, orderKey(record));
  }

  const ended = { total: 0, byOutcome: byOutcome() };
  const endedThisWeek: (CarriedIntervention & { endDate: string })[] = [];
  for (const record of latestPerKey(ofType('intervention.ended'), (record) => (record.data as InterventionEnded).interventionId)) {
    const data = record.data as InterventionEnded;
    ended.total++;
    ended.byOutcome[data.outcome]++;
    const intervention = active.get(data.interventionId);
    if (!intervention) continue;
    applyScores(intervention.scores, data.finalScores, orderKey(record));
    endedThisWeek.push({ ...intervention, endDate: data.endDate });
    active.delete(data.interventionId);
  }

  const stillActive = [...active.values()]
    .map((intervention) => ({ ...intervention, sessionIds: [...intervention.sessionIds].sort() }))
    .sort((a, b) => compare(a.interventionId, b.interventionId));
  const duringWeek = [...stillActive, ...endedThisWeek].sort((a, b) => compare(a.interventionId, b.interventionId));

  const delivery = { interventions: 0, delivered: 0, planned: 0 };
  const changes: number[] = [];
  const progress: number[] = [];
  for (const intervention of duringWeek) {
    if (intervention.plannedSessions !== undefined) {
      delivery.interventions++;
      delivery.delivered += intervention.sessionIds.length;
      delivery.planned += intervention.plannedSessions;
    }
    for (const target of intervention.targets) {
      const latest = intervention.scores[target.targetId];
      if (!latest) continue;
      const moved = latest.score - target.baseline;
      changes.push(target.goal >= target.baseline ? moved : -moved);
      if (target.goal !== target.baseline) progress.push(moved / (target.goal - target.baseline));
    }
  }

  return {
    active: stillActive,
    ended: endedThisWeek,
    figures: {
      active: stillActive.length,
      pupilsSupported: new Set(stillActive.flatMap((intervention) => intervention.pupilIds)).size,
      started: starts.length,
      ended,
      sessions: {
        recorded: sessions.length,
        attended,
        attendanceRate: sessions.length === 0 ? null : attended / sessions.length,
        meanEngagement: engagementCount === 0 ? null : engagementSum / engagementCount,
      },
      delivery,
      targets: { scored: changes.length, meanChange: mean(changes), meanProgress: mean(progress) },
    },
  };
}

const orderKey = (record: JournalRecord) => `${record.date}#${record.occurredAtUtc}#${record.eventId}`;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}
