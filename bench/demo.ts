import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addDays, isoWeekOf, weekJustEnded, weekStart } from '../shared/domain/calendar';
import { sign } from '../shared/domain/signature';
import { addSchool } from '../shared/services/schools';
import { interventionKinds } from '../events/vocabulary';
import { localTarget } from '../infra/cli/targets';
import { makePrivateDir, writePrivateFile } from '../shared/adapters/local/private-files';
import { correctionsOf } from './demo-corrections';
import { demoStack, runOn } from './demo-stack';
import { firstNames, incidentAndRestorative, lastNames, random } from './synthetic';

/**
 * `npm run demo` (with `npm start` running): a realistic autumn term of synthetic data for
 * two schools, posted through the signed webhook as an MIS would, then each school's weekly
 * rollup for the week just ended. Seeded, so a re-run posts the same eventIds (all
 * "duplicate"). Every name is invented; every address is @example.org.
 */
// strict: false, so that a test importing this module (to count what it would post) is not refused its own argv.
const { values } = parseArgs({
  options: {
    'no-rollup': { type: 'boolean', default: false },
    /** The whole term's registers; by default only the last `weeks` school weeks' marks are posted. */
    full: { type: 'boolean', default: false },
    weeks: { type: 'string', default: '2' },
    /** Webhook requests in flight (an MIS sync sends a few at a time). */
    concurrency: { type: 'string', default: '4' },
    /** The MIS connector's demo instead (bench/demo-wonde.ts). */
    wonde: { type: 'boolean', default: false },
    /** Post into PORT's stack even if its DynamoDB is on disk (slow); --exit: stop the demo's own stack when done. */
    'use-running-stack': { type: 'boolean', default: false },
    exit: { type: 'boolean', default: false },
  },
  strict: false,
});
const port = Number(process.env.PORT ?? 3000);
let base = `http://127.0.0.1:${port}`;

/** The kinds the demo's programmes are drawn from (in this order: the seeded term depends on it). */
const demoKinds: readonly string[] = interventionKinds.filter((kind) => !['reflective', 'numeracy', 'other'].includes(kind));

interface DemoSchool {
  schoolId: string;
  name: string;
  pupils: number;
  yearGroups: string[];
  leaders: string[];
  dsl: string;
  seed: number;
}

export const schools: DemoSchool[] = [
  {
    schoolId: 'oak-primary',
    name: 'Oak Primary School',
    pupils: 210,
    yearGroups: ['R', '1', '2', '3', '4', '5', '6'],
    leaders: ['head@oak-primary.example.org'],
    dsl: 'dsl@oak-primary.example.org',
    seed: 11,
  },
  {
    schoolId: 'riverside-academy',
    name: 'Riverside Academy',
    pupils: 600,
    yearGroups: ['7', '8', '9', '10', '11'],
    leaders: ['head@riverside.example.org', 'deputy@riverside.example.org'],
    dsl: 'dsl@riverside.example.org',
    seed: 29,
  },
];

type Event = Record<string, unknown>;

/** One school's term: roster, two marks a day, interventions, incidents, restorative sessions, and later corrections. */
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
      {
        contactId: `${pupilId}-C1`,
        name: `${pick(firstNames)} ${lastName}`,
        relationship: pick(['mother', 'father', 'carer']),
        parentalResponsibility: true,
        email: `${pupilId.toLowerCase()}.parent@example.org`,
        notify: rand() > 0.05,
      },
      ...(rand() < 0.4
        ? [
            {
              contactId: `${pupilId}-C2`,
              name: `${pick(firstNames)} ${pick(lastNames)}`,
              relationship: 'grandparent',
              parentalResponsibility: false,
              email: `${pupilId.toLowerCase()}.gp@example.org`,
              notify: true,
            },
          ]
        : []),
    ];
    events.push({
      eventId: id('roster', pupilId, 1),
      type: 'pupil.upserted',
      occurredAt: at(termStart, '06:00'),
      pupilId,
      data: {
        firstName: pick(firstNames),
        lastName,
        yearGroup: pick(school.yearGroups),
        sen: rand() < 0.15 ? 'support' : rand() < 0.03 ? 'ehcp' : 'none',
        pupilPremium: rand() < 0.25,
        lookedAfter: rand() < 0.02,
        contacts,
      },
    });
    return { pupilId, absenceRate, behaviourRisk: rand() < 0.08 ? 0.15 : 0.01 };
  });

  for (let date = termStart; date <= lastDay; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const pupil of pupils) {
      for (const session of ['AM', 'PM'] as const) {
        const roll = rand();
        const code =
          roll < pupil.absenceRate
            ? rand() < 0.6
              ? pick(['I', 'I', 'M', 'C'])
              : pick(['O', 'G', 'N', 'U'])
            : rand() < 0.03
              ? 'L'
              : rand() < 0.004
                ? 'K'
                : '/';
        events.push({
          eventId: id('mark', pupil.pupilId, date, session),
          type: 'attendance.marked',
          occurredAt: at(date, session === 'AM' ? '08:50' : '13:10'),
          pupilId: pupil.pupilId,
          data: { date, session, code, ...(code === 'L' ? { minutesLate: 5 + Math.floor(rand() * 20) } : {}) },
        });
      }
      if (rand() < pupil.behaviourRisk) {
        const { incident, restorative, restrictive } = incidentAndRestorative(rand, {
          schoolId: school.schoolId,
          pupilId: pupil.pupilId,
          otherPupilId: pick(pupils).pupilId,
          date,
          restorativeChance: 0.5,
          statutoryRecord: true,
        });
        events.push(incident);
        if (restrictive) events.push(restrictive);
        if (restorative) events.push(restorative);
      }
    }
  }

  // Interventions for pupils whose attendance or behaviour needs support.
  const supported = pupils.filter((pupil) => pupil.absenceRate > 0.1 || pupil.behaviourRisk > 0.1);
  // SDQs come from their own seeded stream, so the rest of the term stays as it was.
  const sdqRand = random(school.seed + 500);
  supported.forEach((pupil, index) => {
    const interventionId = id('intervention', pupil.pupilId);
    const start = addDays(termStart, 7 + (index % 21));
    const kind = pupil.absenceRate > 0.1 ? 'reintegration' : pick(demoKinds);
    const targets = [
      {
        targetId: 'T1',
        area: pupil.absenceRate > 0.1 ? 'learning' : 'behavioural',
        description: pupil.absenceRate > 0.1 ? 'Arrives on time every day' : 'Uses calm-down plan when upset',
        baseline: 2 + Math.floor(rand() * 3),
        goal: 8,
      },
      { targetId: 'T2', area: 'social', description: 'Builds positive relationships with peers', baseline: 3, goal: 7 },
    ];
    events.push({
      eventId: `${interventionId}:start`,
      type: 'intervention.started',
      occurredAt: at(start, '09:00'),
      pupilId: pupil.pupilId,
      data: { interventionId, kind, title: `${kind.replace(/_/g, ' ')} programme`, staffId: 'STAFF-12', startDate: start, plannedSessions: 8, targets },
    });
    let sessions = 0;
    for (let date = addDays(start, 2); date <= lastDay && sessions < 8; date = addDays(date, 7)) {
      sessions++;
      const attended = rand() < 0.85;
      events.push({
        eventId: `${interventionId}:session:${sessions}`,
        type: 'intervention.session.recorded',
        occurredAt: at(date, '14:00'),
        pupilId: pupil.pupilId,
        data: {
          interventionId,
          sessionId: `S${sessions}`,
          date,
          durationMinutes: 30,
          attended,
          ...(attended
            ? {
                engagement: 2 + Math.floor(rand() * 4),
                targetScores: targets.map((target) => ({ targetId: target.targetId, score: Math.min(10, target.baseline + Math.floor(sessions * rand())) })),
              }
            : {}),
          notes: 'Staff note: session reflections.',
        },
      });
    }
    // A teacher SDQ before most social, emotional and behavioural programmes (not for attendance
    // or academic ones), and again at the end: the "did it help?" figures.
    const measured = sdqKinds.has(kind) && sdqRand() < 0.7;
    const before = measured ? 13 + Math.floor(sdqRand() * 12) : 0;
    if (measured)
      events.push(sdqEvent(id('sdq', pupil.pupilId, 'before'), pupil.pupilId, addDays(start, -Math.floor(sdqRand() * 5)), before, sdqRand, interventionId));
    if (sessions === 8) {
      const endDate = addDays(start, 60) > lastDay ? lastDay : addDays(start, 60);
      const outcome = pick(['achieved', 'partially_achieved', 'partially_achieved', 'not_achieved'] as const);
      events.push({
        eventId: `${interventionId}:end`,
        type: 'intervention.ended',
        occurredAt: at(addDays(start, 60), '15:00'),
        pupilId: pupil.pupilId,
        data: { interventionId, endDate, outcome, notes: 'Staff note: review outcome.' },
      });
      if (measured) {
        const change = {
          achieved: -3 - Math.floor(sdqRand() * 5),
          partially_achieved: -Math.floor(sdqRand() * 4),
          not_achieved: Math.floor(sdqRand() * 4) - 1,
        }[outcome];
        events.push(sdqEvent(id('sdq', pupil.pupilId, 'after'), pupil.pupilId, endDate, Math.max(0, before + change), sdqRand, interventionId));
      }
    }
  });
  return [...events, ...correctionsOf(events, random(school.seed + 1))];
}

const sdqKinds: ReadonlySet<string> = new Set(['mentoring', 'semh_group', 'emotional_literacy', 'social_skills', 'anger_management', 'counselling']);

/** A teacher SDQ: four difficulty scales adding up to `total` (each 0..10), and prosocial. Scale scores only. */
function sdqEvent(eventId: string, pupilId: string, date: string, total: number, rand: () => number, interventionId: string): Event {
  const scales = [0, 0, 0, 0];
  for (let left = Math.min(40, total); left > 0; ) {
    const index = Math.floor(rand() * 4);
    if (scales[index]! < 10) {
      scales[index]!++;
      left--;
    }
  }
  const [emotional, conduct, hyperactivity, peer] = scales;
  return {
    eventId,
    type: 'outcome.measure.recorded',
    occurredAt: `${date}T16:00:00+00:00`,
    pupilId,
    data: {
      measureId: eventId,
      instrument: 'sdq_teacher',
      date,
      interventionId,
      scores: { emotional, conduct, hyperactivity, peer, prosocial: 3 + Math.floor(rand() * 6) },
    },
  };
}

async function post(schoolId: string, secret: string, events: Event[]) {
  const body = JSON.stringify({ events });
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${base}/v1/schools/${schoolId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracker-timestamp': timestamp, 'x-tracker-signature': sign(secret, timestamp, body) },
      body,
    });
    const answer = (await response.json()) as { results?: { status: string }[]; error?: string };
    if (response.status < 500) {
      if (!answer.results) throw new Error(`webhook answered ${response.status}: ${answer.error}`);
      return answer.results;
    }
    if (attempt === 5) throw new Error(`webhook answered ${response.status} five times`);
  }
}

/**
 * The events posted: every roster and every non-register event of the term (interventions,
 * incidents, restorative sessions: the content the emails and the summaries show), and the
 * register marks of the last `weeks` school weeks, or of the whole term with --full. The term
 * is generated whole either way, so the seeded content and eventIds are the same.
 */
function selected(events: Event[], lastDay: string): Event[] {
  if (values.full) return events;
  const from = addDays(weekStart(isoWeekOf(lastDay)), -7 * (Math.max(1, Number(values.weeks)) - 1));
  return events.filter((event) => event.type !== 'attendance.marked' || (event.data as { date: string }).date >= from);
}

/** Posts in batches of 500 with `concurrency` requests in flight, rosters first; shows events/s and ETA. */
async function postAll(school: DemoSchool, secret: string, events: Event[]) {
  const counts: Record<string, number> = {};
  const started = performance.now();
  let done = 0;
  const progress = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta = rate > 0 ? (events.length - done) / rate : 0;
    process.stdout.write(`\r  ${school.name}: ${done}/${events.length} events, ${rate.toFixed(0)} events/s, ETA ${eta.toFixed(0)} s   `);
  };
  const send = async (batch: Event[]) => {
    for (const result of await post(school.schoolId, secret, batch)) counts[result.status] = (counts[result.status] ?? 0) + 1;
    done += batch.length;
    progress();
  };
  // Rosters first, as an MIS sync would, so notifications find contacts.
  const rosters = events.filter((event) => event.type === 'pupil.upserted');
  const rest = events.filter((event) => event.type !== 'pupil.upserted');
  const batches = (list: Event[]) => Array.from({ length: Math.ceil(list.length / 500) }, (_, index) => list.slice(index * 500, index * 500 + 500));
  for (const batch of batches(rosters)) await send(batch);
  const queue = batches(rest);
  await Promise.all(
    Array.from({ length: Math.max(1, Number(values.concurrency)) }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await send(batch);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\r  ${school.name}: ${events.length} events in ${seconds.toFixed(1)} s (${(events.length / seconds).toFixed(0)} events/s) — ${Object.entries(counts)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ')}`,
  );
}

async function postTerm(port: number) {
  const target = await localTarget(port);
  const secretsFile = '.local/demo-schools.json';
  const known: Record<string, string> = await readFile(secretsFile, 'utf8').then(JSON.parse, () => ({}));
  const today = new Date();
  const lastWeek = weekJustEnded(today, 'Europe/London');
  const termStart = '2026-09-02' <= weekStart(lastWeek) ? '2026-09-02' : addDays(weekStart(lastWeek), -70);
  const lastDay = addDays(weekStart(lastWeek), 4);
  const marks = values.full ? 'every register mark' : `register marks of the last ${values.weeks} weeks (--full for the whole term)`;
  console.log(`Demo term ${termStart} → ${lastDay} (through ISO week ${lastWeek}) on ${base}: rosters, the term's other events, ${marks}`);

  for (const school of schools) {
    // A secret from an earlier run is stale once the stack started empty (--fresh, --in-memory).
    let secret = (await target.schools.get(school.schoolId)) ? known[school.schoolId] : undefined;
    if (!secret) {
      const added = await addSchool({ schoolId: school.schoolId, name: school.name, leaders: school.leaders, dslEmail: school.dsl }, target).catch(
        (error: Error) => {
          throw new Error(`${error.message}. Its secret isn't in ${secretsFile}: restart with \`npm start -- --fresh\` and run the demo again.`);
        },
      );
      secret = added.webhookSecret;
      known[school.schoolId] = secret;
      // Webhook secrets: owner-only, like the rest of .local/.
      await makePrivateDir('.local');
      await writePrivateFile(secretsFile, JSON.stringify(known, null, 2));
    }
    await postAll(school, secret, selected(termOf(school, termStart, lastDay), lastDay));
  }

  const flushing = performance.now();
  await fetch(`${base}/local/flush`, { method: 'POST' });
  console.log(`  notifications and alerts delivered to the outbox in ${((performance.now() - flushing) / 1000).toFixed(1)} s`);
  if (values['no-rollup']) return;
  for (const school of schools) {
    await target.invoke('rollup-school', {
      source: 'tracker.rollups',
      'detail-type': 'rollup.requested',
      detail: { schoolId: school.schoolId, week: lastWeek, sendEmail: true },
    });
    console.log(`  rollup ${school.schoolId} ${lastWeek}: stored and emailed to ${school.leaders.join(', ')}`);
  }
  await fetch(`${base}/local/flush`, { method: 'POST' });
  const cli = `${port === 3000 ? '' : `PORT=${port} `}npx tracker rollup --school oak-primary --week ${lastWeek} --json`;
  console.log(`Done in ${(performance.now() / 1000).toFixed(0)} s. Emails: ${base}/local/outbox.html — or \`${cli}\``);
}

async function main() {
  const stack = await demoStack(port, { useRunning: Boolean(values['use-running-stack']) });
  base = `http://127.0.0.1:${stack.port}`;
  await runOn(stack, () => postTerm(stack.port), Boolean(values.exit));
}

// Run as `npm run demo` (`-- --wonde`: the MIS connector); imported (to count what it would post), it only defines the term.
if (import.meta.url === `file://${process.argv[1]}`) {
  (values.wonde ? import('./demo-wonde').then(({ wondeDemo }) => wondeDemo(port)) : main()).catch((error: Error) => {
    console.error(`demo: ${error.message}`);
    process.exit(1);
  });
}
