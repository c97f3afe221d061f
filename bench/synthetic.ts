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

export const firstNames = [
  'Amelia',
  'Oliver',
  'Isla',
  'George',
  'Ava',
  'Noah',
  'Mia',
  'Arthur',
  'Freya',
  'Leo',
  'Lily',
  'Oscar',
  'Grace',
  'Harry',
  'Ivy',
  'Muhammad',
  'Sophia',
  'Jack',
  'Rosie',
  'Theo',
  'Zara',
  'Alfie',
  'Evie',
  'Jacob',
  'Aisha',
  'Finley',
  'Maya',
  'Reuben',
  'Hana',
  'Kai',
];
export const lastNames = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Khan',
  'Clarke',
  'Okafor',
  'Nowak',
  'Ahmed',
  'Hughes',
];
export const incidentCategories = [
  'disruption in lesson',
  'defiance',
  'verbal abuse',
  'physical aggression',
  'bullying',
  'damage to property',
  'truancy from lesson',
  'unkind online behaviour',
];

type SyntheticEvent = Record<string, unknown> & { eventId: string; type: string };

/**
 * One incident by a pupil on a date, and sometimes a restorative session about it with
 * another pupil: the behaviour events both the demo and the benchmark post.
 */
export function incidentAndRestorative(
  rand: () => number,
  options: { schoolId: string; pupilId: string; otherPupilId: string; date: string; restorativeChance: number; statutoryRecord?: boolean },
): { incident: SyntheticEvent; restorative?: SyntheticEvent; restrictive?: SyntheticEvent } {
  const { schoolId, pupilId, otherPupilId, date } = options;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const id = (...parts: string[]) => `${schoolId}:${parts.join(':')}`;
  const at = (time: string) => `${date}T${time}:00+00:00`;
  const incidentId = id('incident', pupilId, date);
  const severity = 1 + Math.floor(rand() * (rand() < 0.2 ? 5 : 3));
  // Force is rare: only in a serious incident of aggression or damage, never for truancy.
  const category = pick(incidentCategories);
  const force = severity >= 4 && rand() < 0.3 && forceCategories.has(category);
  // Since April 2026 force, restraint and seclusion have their own statutory record; a school
  // that sends it leaves the v1 flag off the incident, so parents get one report, not two.
  const restrictive =
    force && options.statutoryRecord ? restrictiveRecord({ schoolId, pupilId, otherPupilId, date, incidentId: id('incident', pupilId, date) }) : undefined;
  const incident = {
    eventId: incidentId,
    type: 'incident.recorded',
    occurredAt: at('11:20'),
    pupilId,
    data: {
      incidentId,
      category,
      severity,
      location: pick(['classroom', 'corridor', 'playground', 'dining hall']),
      ...(force && !restrictive ? { physicalIntervention: { used: true, technique: 'guide', durationMinutes: 2, injury: false } } : {}),
      ...(severity >= 3 && rand() < 0.5 ? { detention: { date: addDays(date, 1), minutes: 30 } } : {}),
      safeguardingConcern: rand() < 0.02,
      notes: 'Staff note: context recorded for the pastoral team only.',
    },
  };
  if (rand() >= options.restorativeChance) return { incident, ...(restrictive ? { restrictive } : {}) };
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
  return { incident, restorative, ...(restrictive ? { restrictive } : {}) };
}

const forceCategories: ReadonlySet<string> = new Set(['physical aggression', 'damage to property']);

/** A small stable hash, so a record's details don't disturb the caller's random stream. */
const seedOf = (text: string) => [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0, 2166136261);

/**
 * The statutory record of a restrictive intervention after a serious incident: de-escalation
 * first, the shortest hold, support afterwards. Now and then the report is withheld (a
 * safeguarding judgement) or a second pupil was involved.
 */
function restrictiveRecord(input: { schoolId: string; pupilId: string; otherPupilId: string; date: string; incidentId: string }): SyntheticEvent {
  const rand = random(seedOf(input.incidentId));
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const roll = rand();
  const types = roll < 0.65 ? ['reasonable_force'] : roll < 0.9 ? ['reasonable_force', 'restraint'] : ['seclusion'];
  const recordId = `${input.incidentId}:restrictive`;
  const withheld = rand() < 0.04;
  return {
    eventId: recordId,
    type: 'restrictive.intervention.recorded',
    occurredAt: `${input.date}T12:05:00+00:00`,
    pupilId: input.pupilId,
    data: {
      recordId,
      incidentId: input.incidentId,
      types,
      startedAt: `${input.date}T11:25:00+00:00`,
      durationMinutes: types[0] === 'seclusion' ? 8 + Math.floor(rand() * 12) : 1 + Math.floor(rand() * 5),
      location: pick(['corridor by the hall', 'playground', 'classroom', 'dining hall']),
      staffIds: ['STAFF-07', ...(rand() < 0.5 ? ['STAFF-12'] : [])],
      antecedents: pick([
        'Became very angry after a disagreement at break and started hitting out.',
        'Threw a chair after being asked to move seats; others were close by.',
        'Ran towards the car park gate in a state of high distress.',
      ]),
      deEscalation: pick([
        'Calm voice, space and time, offered the calm room and a drink; the class was moved away.',
        "Used the pupil's calm-down plan: named the feeling, offered a choice, gave time.",
        'Two adults talked quietly, reduced demands and removed the audience.',
      ]),
      reason: pick([
        'To stop injury to another pupil: there was an immediate risk of harm.',
        'To prevent the pupil running into the road.',
        'To prevent serious damage and injury in a crowded room.',
      ]),
      technique:
        types[0] === 'seclusion' ? 'Supervised time in the calm room with the door held' : pick(['Single elbow guide', 'Friendly hold', 'Double elbow guide']),
      injuries: { pupil: rand() < 0.08, staff: rand() < 0.1 },
      supportAfter: pick([
        'Time in the calm room with a trusted adult, then a restorative chat.',
        'Check-in with the pastoral lead and a call home offered.',
        'Quiet time, a drink, and back to lessons after lunch with a key adult.',
      ]),
      parentReport: withheld
        ? { withhold: true, reason: "Advice from children's social care: telling the parent now would put the pupil at risk of significant harm." }
        : 'send',
      ...(rand() < 0.3 && input.otherPupilId !== input.pupilId ? { otherPupilIds: [input.otherPupilId] } : {}),
      recordedAt: `${input.date}T12:00:00+00:00`,
      recordedBy: 'STAFF-07',
      notes: 'Staff note: debrief held; risk assessment to be reviewed.',
    },
  };
}
