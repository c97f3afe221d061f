/** Seeded building blocks for synthetic school data (demo, benchmark, email fixture). */
import { addDays } from '../shared/domain/calendar';

/** Mulberry32: small, seeded, good enough for synthetic data. */
export function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const firstNames = ['Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Freya', 'Leo', 'Lily', 'Oscar', 'Grace', 'Harry', 'Ivy', 'Muhammad', 'Sophia', 'Jack', 'Rosie', 'Theo', 'Zara', 'Alfie', 'Evie', 'Jacob', 'Aisha', 'Finley', 'Maya', 'Reuben', 'Hana', 'Kai'];
export const lastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Khan', 'Clarke', 'Okafor', 'Nowak', 'Ahmed', 'Hughes'];
export const incidentCategories = ['disruption in lesson', 'defiance', 'verbal abuse', 'physical aggression', 'bullying', 'damage to property', 'truancy from lesson', 'unkind online behaviour'];

type SyntheticEvent = Record<string, unknown> & { eventId: string; type: string };

/**
 * One incident by a pupil on a date, and sometimes a restorative session about it with
 * another pupil: the behaviour events both the demo and the benchmark post.
 */
export function incidentAndRestorative(
  rand: () => number,
  options: { schoolId: string; pupilId: string; otherPupilId: string; date: string; restorativeChance: number },
): { incident: SyntheticEvent; restorative?: SyntheticEvent } {
  const { schoolId, pupilId, otherPupilId, date } = options;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const id = (...parts: string[]) => `${schoolId}:${parts.join(':')}`;
  const at = (time: string) => `${date}T${time}:00+00:00`;
  const incidentId = id('incident', pupilId, date);
  const severity = 1 + Math.floor(rand() * (rand() < 0.2 ? 5 : 3));
  const force = severity >= 4 && rand() < 0.3;
  const incident = {
    eventId: incidentId,
    type: 'incident.recorded',
    occurredAt: at('11:20'),
    pupilId,
    data: {
      incidentId,
      category: pick(incidentCategories),
      severity,
      location: pick(['classroom', 'corridor', 'playground', 'dining hall']),
      ...(force ? { physicalIntervention: { used: true, technique: 'guide', durationMinutes: 2, injury: false } } : {}),
      ...(severity >= 3 && rand() < 0.5 ? { detention: { date: addDays(date, 1), minutes: 30 } } : {}),
      safeguardingConcern: rand() < 0.02,
      notes: 'Staff note: context recorded for the pastoral team only.',
    },
  };
  if (rand() >= options.restorativeChance) return { incident };
  const restorative = {
    eventId: id('restorative', pupilId, date),
    type: 'restorative.session.recorded',
    occurredAt: at('15:30'),
    data: {
      sessionId: id('rs', pupilId, date),
      date,
      format: pick(['conversation', 'mini_conference', 'circle', 'conference']),
      participants: [
        { pupilId, role: 'responsible' },
        ...(otherPupilId !== pupilId ? [{ pupilId: otherPupilId, role: 'harmed' }] : []),
        { staffId: 'STAFF-07', role: 'facilitator' },
      ],
      incidentId,
      agreementReached: rand() < 0.8,
      followUpDate: addDays(date, 7),
      ...(rand() < 0.7 ? { summaryForParents: 'We talked together about what happened, how it affected everyone, and agreed how to put things right.' } : {}),
      notes: 'Staff note: discussion details kept for staff.',
    },
  };
  return { incident, restorative };
}
