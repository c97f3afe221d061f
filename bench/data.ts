import { parseEvent } from '../events/catalogue';
import { addDays, weekStart } from '../shared/domain/calendar';
import { planWrite, type Item, type SchoolContext, type WritePlan } from '../shared/domain/records';
import { firstNames, incidentAndRestorative, lastNames, random } from './synthetic';

/**
 * Synthetic, seeded school data for the benchmark: contract events as an MIS would send
 * them, and the very items planWrite makes of them (for seeding history and for the
 * BatchWriteItem ceiling). Every name is invented; every address is @example.org.
 */

export type ContractEvent = Record<string, unknown> & { eventId: string; type: string };

const presentOrAbsent = (rand: () => number, absenceRate: number) => {
  const roll = rand();
  if (roll < absenceRate)
    return rand() < 0.6 ? (['I', 'I', 'M', 'C'] as const)[Math.floor(rand() * 4)]! : (['O', 'G', 'N', 'U'] as const)[Math.floor(rand() * 4)]!;
  return rand() < 0.03 ? 'L' : rand() < 0.004 ? 'K' : '/';
};

export function attendanceEvent(schoolId: string, pupilId: string, date: string, session: 'AM' | 'PM', code: string, rand: () => number): ContractEvent {
  return {
    eventId: `${schoolId}:mark:${pupilId}:${date}:${session}`,
    type: 'attendance.marked',
    occurredAt: `${date}T${session === 'AM' ? '08:50' : '13:10'}:00+00:00`,
    pupilId,
    data: { date, session, code, ...(code === 'L' ? { minutesLate: 5 + Math.floor(rand() * 20) } : {}) },
  };
}

/**
 * `count` register marks for fresh pupils (`<prefix>0000`…): one register (AM or PM) per
 * pupil per batch, realistic codes, all dated `date`.
 */
export function freshMarks(schoolId: string, prefix: string, count: number, date: string, seed: number): ContractEvent[] {
  const rand = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const pupilId = `${prefix}${String(Math.floor(index / 2)).padStart(5, '0')}`;
    return attendanceEvent(schoolId, pupilId, date, index % 2 === 0 ? 'AM' : 'PM', presentOrAbsent(rand, 0.06), rand);
  });
}

export interface BenchPupil {
  pupilId: string;
  absenceRate: number;
  behaviourRisk: number;
}

/** A school's roll: most pupils attend well, ~12% persistently and ~2% severely absent. */
export function pupilsOf(schoolId: string, count: number, seed: number): BenchPupil[] {
  const rand = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const roll = rand();
    return {
      pupilId: `${schoolId.slice(0, 4).toUpperCase()}${String(10000 + index)}`,
      absenceRate: roll < 0.02 ? 0.55 : roll < 0.14 ? 0.12 + rand() * 0.1 : rand() * 0.05,
      behaviourRisk: rand() < 0.1 ? 0.5 : 0.03,
    };
  });
}

/** The roster: one pupil.upserted per pupil, with one or two contacts. */
export function rosterEvents(schoolId: string, pupils: BenchPupil[], occurredAt: string, seed: number): ContractEvent[] {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  return pupils.map(({ pupilId }) => {
    const lastName = pick(lastNames);
    return {
      eventId: `${schoolId}:roster:${pupilId}:${occurredAt.slice(0, 10)}`,
      type: 'pupil.upserted',
      occurredAt,
      pupilId,
      data: {
        firstName: pick(firstNames),
        lastName,
        yearGroup: pick(['7', '8', '9', '10', '11']),
        sen: rand() < 0.15 ? 'support' : 'none',
        pupilPremium: rand() < 0.25,
        lookedAfter: rand() < 0.02,
        contacts: [
          {
            contactId: `${pupilId}-C1`,
            name: `${pick(firstNames)} ${lastName}`,
            relationship: 'mother',
            parentalResponsibility: true,
            email: `${pupilId.toLowerCase()}.parent@example.org`,
            notify: rand() > 0.05,
          },
          ...(rand() < 0.4
            ? [
                {
                  contactId: `${pupilId}-C2`,
                  name: `${pick(firstNames)} ${lastName}`,
                  relationship: 'father',
                  parentalResponsibility: true,
                  email: `${pupilId.toLowerCase()}.parent2@example.org`,
                  notify: true,
                },
              ]
            : []),
        ],
      },
    };
  });
}

/**
 * One ISO week of a school: two marks per pupil per weekday (10 per pupil) and about one
 * other event per pupil: incidents, restorative sessions, intervention starts, sessions
 * and ends, and roster changes.
 */
export function weekEvents(schoolId: string, pupils: BenchPupil[], week: string, seed: number): { marks: ContractEvent[]; others: ContractEvent[] } {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const marks: ContractEvent[] = [];
  const others: ContractEvent[] = [];
  const monday = weekStart(week);
  const id = (...parts: (string | number)[]) => `${schoolId}:${parts.join(':')}`;
  const at = (date: string, time: string) => `${date}T${time}:00+00:00`;
  for (let day = 0; day < 5; day++) {
    const date = addDays(monday, day);
    for (const pupil of pupils) {
      for (const session of ['AM', 'PM'] as const)
        marks.push(attendanceEvent(schoolId, pupil.pupilId, date, session, presentOrAbsent(rand, pupil.absenceRate), rand));
      if (rand() < pupil.behaviourRisk) {
        const { incident, restorative, restrictive } = incidentAndRestorative(rand, {
          schoolId: schoolId,
          pupilId: pupil.pupilId,
          otherPupilId: pick(pupils).pupilId,
          date,
          restorativeChance: 0.25,
          statutoryRecord: true,
        });
        others.push(incident);
        if (restrictive) others.push(restrictive);
        if (restorative) others.push(restorative);
      }
    }
  }
  // Interventions: ~12% of pupils are in one, with three sessions a week; a few start or end.
  pupils.forEach((pupil, index) => {
    if (index % 8 !== 0) return;
    const interventionId = id('intervention', pupil.pupilId);
    const targets = [{ targetId: 'T1', area: 'behavioural', description: 'Uses calm-down plan when upset', baseline: 3, goal: 8 }];
    const date = addDays(monday, index % 5);
    if (index % 48 === 0) {
      others.push({
        eventId: id('intervention', pupil.pupilId, week, 'start'),
        type: 'intervention.started',
        occurredAt: at(date, '09:00'),
        pupilId: pupil.pupilId,
        data: {
          interventionId,
          kind: pick(['mentoring', 'semh_group', 'reintegration', 'literacy']),
          title: 'Support programme',
          staffId: 'STAFF-12',
          startDate: date,
          plannedSessions: 8,
          targets,
        },
      });
    }
    for (const day of [0, 2, 4]) {
      const sessionDate = addDays(monday, day);
      const attended = rand() < 0.85;
      others.push({
        eventId: id('intervention', pupil.pupilId, week, 'session', day),
        type: 'intervention.session.recorded',
        occurredAt: at(sessionDate, '14:00'),
        pupilId: pupil.pupilId,
        data: {
          interventionId,
          sessionId: `S-${week}-${day}`,
          date: sessionDate,
          durationMinutes: 30,
          attended,
          ...(attended ? { engagement: 2 + Math.floor(rand() * 4), targetScores: [{ targetId: 'T1', score: 3 + Math.floor(rand() * 6) }] } : {}),
          notes: 'Staff note: session reflections.',
        },
      });
    }
    if (index % 48 === 24) {
      others.push({
        eventId: id('intervention', pupil.pupilId, week, 'end'),
        type: 'intervention.ended',
        occurredAt: at(addDays(date, 0), '15:00'),
        pupilId: pupil.pupilId,
        data: { interventionId, endDate: date, outcome: pick(['achieved', 'partially_achieved', 'not_achieved']), notes: 'Staff note: review outcome.' },
      });
    }
  });
  // Roster changes (a new contact, a year group fix, SEN status): ~15% of pupils a week.
  const changed = pupils.filter(() => rand() < 0.15);
  others.push(
    ...rosterEvents(schoolId, changed, at(addDays(monday, 2), '07:00'), seed + 1).map((event) => ({ ...event, eventId: `${event.eventId}:${week}` })),
  );
  return { marks, others };
}

/** What the webhook would store for an event, computed without the webhook. */
export function planOf(event: ContractEvent, school: SchoolContext, receivedAt: Date): WritePlan {
  const parsed = parseEvent(event);
  if (!parsed.ok) throw new Error(`bench data is invalid: ${JSON.stringify(parsed.errors)}`);
  return planWrite(parsed.event, school, receivedAt);
}

const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/**
 * The items a plan ends up as when nothing was stored before: exactly what the event
 * store's conditional writes leave in the table (a mark's attributes plus its eventIds set).
 */
export function itemsOf(plan: WritePlan): Item[] {
  if (plan.kind === 'mark') return [{ ...plan.mark.key, ...defined(plan.mark.attributes), eventIds: new Set([plan.eventId]) } as Item];
  return [
    defined(plan.journal) as Item,
    ...plan.participants.map((item) => defined(item) as Item),
    ...(plan.incidentVersion ? [defined(plan.incidentVersion) as Item] : []),
    ...(plan.profile ? [{ ...plan.profile.key, ...defined(plan.profile.attributes) } as Item] : []),
  ];
}
