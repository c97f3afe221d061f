import { addDays } from '../shared/domain/calendar';
import { firstNames, incidentAndRestorative, lastNames, random } from './synthetic';

/**
 * The demo term (`npm run demo`, `bench/corrections.ts`): two schools' seeded autumn term as
 * an MIS sends it, including the corrections real MIS data carries (registers amended days
 * later, incidents re-sent with more detail). Every name is invented; every address is
 * @example.org.
 */
const interventionKinds = ['mentoring', 'semh_group', 'emotional_literacy', 'social_skills', 'anger_management', 'reintegration', 'counselling', 'literacy'] as const;

export interface DemoSchool {
  schoolId: string;
  name: string;
  pupils: number;
  yearGroups: string[];
  leaders: string[];
  dsl: string;
  seed: number;
}

export const schools: DemoSchool[] = [
  { schoolId: 'oak-primary', name: 'Oak Primary School', pupils: 210, yearGroups: ['R', '1', '2', '3', '4', '5', '6'], leaders: ['head@oak-primary.example.org'], dsl: 'dsl@oak-primary.example.org', seed: 11 },
  { schoolId: 'riverside-academy', name: 'Riverside Academy', pupils: 600, yearGroups: ['7', '8', '9', '10', '11'], leaders: ['head@riverside.example.org', 'deputy@riverside.example.org'], dsl: 'dsl@riverside.example.org', seed: 29 },
];

export type Event = Record<string, unknown>;

/** One school's term: roster, two marks a day, interventions, incidents, restorative sessions, corrections. */
export function termOf(school: DemoSchool, termStart: string, lastDay: string): Event[] {
  const rand = random(school.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const events: Event[] = [];
  const id = (...parts: (string | number)[]) => `${school.schoolId}:${parts.join(':')}`;
  const at = (date: string, time: string) => `${date}T${time}:00+00:00`;

  const pupils = Array.from({ length: school.pupils }, (_, index) => {
    const pupilId = `${school.schoolId.slice(0, 3).toUpperCase()}${String(1000 + index)}`;
    // Most pupils attend well; a few are persistently or severely absent.
    const roll = rand();
    const absenceRate = roll < 0.02 ? 0.55 : roll < 0.14 ? 0.12 + rand() * 0.1 : rand() * 0.05;
    const lastName = pick(lastNames);
    const contacts = [
      { contactId: `${pupilId}-C1`, name: `${pick(firstNames)} ${lastName}`, relationship: pick(['mother', 'father', 'carer']), parentalResponsibility: true, email: `${pupilId.toLowerCase()}.parent@example.org`, notify: rand() > 0.05 },
      ...(rand() < 0.4 ? [{ contactId: `${pupilId}-C2`, name: `${pick(firstNames)} ${pick(lastNames)}`, relationship: 'grandparent', parentalResponsibility: false, email: `${pupilId.toLowerCase()}.gp@example.org`, notify: true }] : []),
    ];
    events.push({
      eventId: id('roster', pupilId, 1),
      type: 'pupil.upserted',
      occurredAt: at(termStart, '06:00'),
      pupilId,
      data: { firstName: pick(firstNames), lastName, yearGroup: pick(school.yearGroups), sen: rand() < 0.15 ? 'support' : rand() < 0.03 ? 'ehcp' : 'none', pupilPremium: rand() < 0.25, lookedAfter: rand() < 0.02, contacts },
    });
    return { pupilId, absenceRate, behaviourRisk: rand() < 0.08 ? 0.15 : 0.01 };
  });

  for (let date = termStart; date <= lastDay; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const pupil of pupils) {
      for (const session of ['AM', 'PM'] as const) {
        const roll = rand();
        const code = roll < pupil.absenceRate ? (rand() < 0.6 ? pick(['I', 'I', 'M', 'C']) : pick(['O', 'G', 'N', 'U'])) : rand() < 0.03 ? 'L' : rand() < 0.004 ? 'K' : '/';
        events.push({
          eventId: id('mark', pupil.pupilId, date, session),
          type: 'attendance.marked',
          occurredAt: at(date, session === 'AM' ? '08:50' : '13:10'),
          pupilId: pupil.pupilId,
          data: { date, session, code, ...(code === 'L' ? { minutesLate: 5 + Math.floor(rand() * 20) } : {}) },
        });
      }
      if (rand() < pupil.behaviourRisk) {
        const { incident, restorative } = incidentAndRestorative(rand, { schoolId: school.schoolId, pupilId: pupil.pupilId, otherPupilId: pick(pupils).pupilId, date, restorativeChance: 0.5 });
        events.push(incident);
        if (restorative) events.push(restorative);
      }
    }
  }

  // Interventions for pupils whose attendance or behaviour needs support.
  const supported = pupils.filter((pupil) => pupil.absenceRate > 0.1 || pupil.behaviourRisk > 0.1);
  supported.forEach((pupil, index) => {
    const interventionId = id('intervention', pupil.pupilId);
    const start = addDays(termStart, 7 + (index % 21));
    const kind = pupil.absenceRate > 0.1 ? 'reintegration' : pick(interventionKinds);
    const targets = [
      { targetId: 'T1', area: pupil.absenceRate > 0.1 ? 'learning' : 'behavioural', description: pupil.absenceRate > 0.1 ? 'Arrives on time every day' : 'Uses calm-down plan when upset', baseline: 2 + Math.floor(rand() * 3), goal: 8 },
      { targetId: 'T2', area: 'social', description: 'Builds positive relationships with peers', baseline: 3, goal: 7 },
    ];
    events.push({ eventId: `${interventionId}:start`, type: 'intervention.started', occurredAt: at(start, '09:00'), pupilId: pupil.pupilId, data: { interventionId, kind, title: `${kind.replace(/_/g, ' ')} programme`, staffId: 'STAFF-12', startDate: start, plannedSessions: 8, targets } });
    let sessions = 0;
    for (let date = addDays(start, 2); date <= lastDay && sessions < 8; date = addDays(date, 7)) {
      sessions++;
      const attended = rand() < 0.85;
      events.push({
        eventId: `${interventionId}:session:${sessions}`,
        type: 'intervention.session.recorded',
        occurredAt: at(date, '14:00'),
        pupilId: pupil.pupilId,
        data: { interventionId, sessionId: `S${sessions}`, date, durationMinutes: 30, attended, ...(attended ? { engagement: 2 + Math.floor(rand() * 4), targetScores: targets.map((target) => ({ targetId: target.targetId, score: Math.min(10, target.baseline + Math.floor(sessions * rand())) })) } : {}), notes: 'Staff note: session reflections.' },
      });
    }
    if (sessions === 8) {
      events.push({ eventId: `${interventionId}:end`, type: 'intervention.ended', occurredAt: at(addDays(start, 60), '15:00'), pupilId: pupil.pupilId, data: { interventionId, endDate: addDays(start, 60) > lastDay ? lastDay : addDays(start, 60), outcome: pick(['achieved', 'partially_achieved', 'partially_achieved', 'not_achieved']), notes: 'Staff note: review outcome.' } });
    }
  });
  return [...events, ...correctionsOf(events, random(school.seed + 1))];
}

/**
 * What an MIS sends later about the past: an unexplained absence (N) amended once a note or a
 * call arrives, two to four days on (mostly to I, illness; some to M, medical; some to /, a
 * register taken in error), and incidents re-sent one to three days on with more detail
 * (same incidentId and happenedAt, a new eventId, sometimes a revised severity or category).
 */
export function correctionsOf(events: Event[], rand: () => number): Event[] {
  const later = (date: string, days: number) => `${addDays(date, days)}T09:15:00+00:00`;
  const out: Event[] = [];
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'attendance.marked' && data.code === 'N' && rand() < 0.5) {
      const roll = rand();
      out.push({ ...event, eventId: `${event.eventId}:amended`, occurredAt: later(String(data.date), 2 + Math.floor(rand() * 3)), data: { ...data, code: roll < 0.7 ? 'I' : roll < 0.85 ? 'M' : '/' } });
    }
    if (event.type === 'incident.recorded' && rand() < 0.2) {
      const date = String(event.occurredAt).slice(0, 10);
      const severity = Math.min(5, Number(data.severity) + (rand() < 0.4 ? 1 : 0));
      out.push({ ...event, eventId: `${event.eventId}:v2`, occurredAt: later(date, 1 + Math.floor(rand() * 3)), data: { ...data, happenedAt: event.occurredAt, severity } });
    }
  }
  return out;
}

