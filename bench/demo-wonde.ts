import { DynamoEventStore } from '../shared/adapters/aws/event-store';
import { DynamoStoredRoster } from '../shared/adapters/aws/mis-connections';
import { logAlerts } from '../shared/adapters/aws/operator-alerts';
import { WondeSource } from '../shared/adapters/wonde/wonde-source';
import { addDays, dateInZone } from '../shared/domain/calendar';
import { connectSchool } from '../shared/services/mis-connections';
import { syncSchool } from '../shared/services/mis-sync';
import { addSchool } from '../shared/services/schools';
import { localTarget } from '../infra/cli/targets';
import { startFakeWonde, wondeContact, wondeStudent } from '../test/support/fake-wonde';
import { firstNames, lastNames, random } from './synthetic';

/**
 * `npm run demo -- --wonde` (with `npm start` running): the Wonde connector end to end. A fake
 * Wonde (test/support/fake-wonde.ts, Wonde's documented JSON) serves a seeded school; the
 * demo connects it and runs the sync against the local stack's table, as sync-mis would,
 * then runs it again to show that a re-read stores nothing new. Every name is invented.
 */
const schoolId = 'wonde-primary';
const pupils = 120;

export async function wondeDemo(port: number) {
  const target = await localTarget(port);
  const fake = await startFakeWonde({ schoolId: 'A1930499544', defaultPageSize: 200 });
  try {
    const rand = random(7);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    fake.setCodes([
      { id: 'AC-PRESENT', code: '/', description: 'Present (AM)' },
      { id: 'AC-PRESENT-PM', code: '\\', description: 'Present (PM)' },
      { id: 'AC-LATE', code: 'L', description: 'Late before registers closed' },
      { id: 'AC-ILL', code: 'I', description: 'Illness' },
      { id: 'AC-UNAUTH', code: 'O', description: 'Unauthorised absence' },
      { id: 'AC-LEGACY', code: 'J', description: 'Interview (a pre-2024 code with no DfE equivalent now)' },
    ]);
    const ids = Array.from({ length: pupils }, (_, index) => `A${1_000_000 + index}`);
    for (const id of ids) {
      const surname = pick(lastNames);
      // Most contacts have parental responsibility; some MIS records say nothing (safe default: no notices).
      const contacts = [
        wondeContact(`${id}-C1`, { parentalResponsibility: rand() < 0.9 ? true : null, priority: 1, relationship: pick(['Mother', 'Father', 'Carer']) }),
        ...(rand() < 0.3 ? [wondeContact(`${id}-C2`, { parentalResponsibility: false, priority: 2, relationship: 'Grandparent' })] : []),
      ];
      fake.upsertStudent(wondeStudent(id, { forename: pick(firstNames), surname, year: String(1 + Math.floor(rand() * 6)), contacts }));
    }
    const today = dateInZone(new Date(), 'Europe/London');
    for (let day = 14; day >= 1; day--) {
      const date = addDays(today, -day);
      if ([0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay())) continue;
      for (const id of ids) {
        for (const session of ['AM', 'PM'] as const) {
          const roll = rand();
          const code =
            roll < 0.9
              ? session === 'AM'
                ? 'AC-PRESENT'
                : 'AC-PRESENT-PM'
              : roll < 0.94
                ? 'AC-LATE'
                : roll < 0.97
                  ? 'AC-ILL'
                  : roll < 0.995
                    ? 'AC-UNAUTH'
                    : 'AC-LEGACY';
          fake.mark({ id: `${id}-${date}-${session}`, student: id, date, session, attendance_code: code });
        }
      }
    }
    fake.deleteStudent(ids[0]!);
    fake.leaveStudent(ids[1]!);

    if (!(await target.schools.get(schoolId))) {
      await addSchool({ schoolId, name: 'Wonde Primary (demo)', leaders: ['head@wonde-primary.example.org'] }, target);
    }
    await connectSchool({ schoolId, misSchoolId: fake.schoolId, token: fake.token }, { ...target, mis: target.mis });
    const deps = {
      events: new DynamoEventStore(target.table),
      schools: target.schools,
      clock: target.clock,
      mis: { ...target.mis, source: new WondeSource({ baseUrl: fake.baseUrl }), alerts: logAlerts, roster: new DynamoStoredRoster(target.table) },
    };
    console.log(`Fake Wonde at ${fake.baseUrl}: ${pupils} students with contacts, two weeks of session marks, one deletion, one leaver.`);
    const started = performance.now();
    const first = await syncSchool(schoolId, deps, { full: true });
    const seconds = (performance.now() - started) / 1000;
    const stored = Object.values(first.events).reduce((a, b) => a + b, 0) + Object.values(first.duplicates).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({ schoolId, events: first.events, cursor: first.cursor, status: first.status, duplicates: first.duplicates, pages: first.pages }, null, 2),
    );
    console.log(
      `  ${stored} events in ${seconds.toFixed(1)} s (${Math.round(stored / seconds)} events/s); ${first.problems.length} records reported, e.g. ${first.problems[0]?.ref}: ${first.problems[0]?.reason}`,
    );
    const second = await syncSchool(schoolId, deps);
    // The cursor re-reads the 5 minutes before the last pass (clock skew costs duplicates, never losses).
    console.log(
      `  second sync (from the cursor, 5 minutes' overlap): stored ${JSON.stringify(second.events)}, duplicates ${JSON.stringify(second.duplicates)}`,
    );
    await fetch(`http://127.0.0.1:${port}/local/flush`, { method: 'POST' });
    console.log(`Done. Try: npx tracker pupil export --school ${schoolId} --pupil ${ids[2]}`);
  } finally {
    await fake.stop();
  }
}
