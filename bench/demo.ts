import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addDays, weekJustEnded, weekStart } from '../shared/domain/calendar';
import { sign } from '../shared/domain/signature';
import { addSchool } from '../shared/services/schools';
import { localTarget } from '../infra/cli/targets';
import { makePrivateDir, writePrivateFile } from '../shared/adapters/local/private-files';
import { schools, termOf, type Event } from './demo-term';

/**
 * `npm run demo` (with `npm start` running): a realistic autumn term of synthetic data for
 * two schools, posted through the signed webhook as an MIS would, then each school's weekly
 * rollup for the week just ended. Seeded, so a re-run posts the same eventIds (all
 * "duplicate"). Every name is invented; every address is @example.org.
 */
const { values } = parseArgs({ options: { 'no-rollup': { type: 'boolean', default: false } } });
const port = Number(process.env.PORT ?? 3000);
const base = `http://127.0.0.1:${port}`;

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

async function main() {
  const target = await localTarget(port);
  const secretsFile = '.local/demo-schools.json';
  const known: Record<string, string> = await readFile(secretsFile, 'utf8').then(JSON.parse, () => ({}));
  const today = new Date();
  const lastWeek = weekJustEnded(today, 'Europe/London');
  const termStart = '2026-09-02' <= weekStart(lastWeek) ? '2026-09-02' : addDays(weekStart(lastWeek), -70);
  const lastDay = addDays(weekStart(lastWeek), 4);
  console.log(`Demo term ${termStart} → ${lastDay} (through ISO week ${lastWeek}) on ${base}`);

  for (const school of schools) {
    let secret = known[school.schoolId];
    if (!secret) {
      const added = await addSchool({ schoolId: school.schoolId, name: school.name, leaders: school.leaders, dslEmail: school.dsl }, target).catch((error: Error) => {
        throw new Error(`${error.message}. Its secret isn't in ${secretsFile}: restart with \`npm start -- --fresh\` and run the demo again.`);
      });
      secret = added.webhookSecret;
      known[school.schoolId] = secret;
      // Webhook secrets: owner-only, like the rest of .local/.
      await makePrivateDir('.local');
      await writePrivateFile(secretsFile, JSON.stringify(known, null, 2));
    }
    const events = termOf(school, termStart, lastDay);
    // Rosters first, as an MIS sync would, so notifications find contacts.
    events.sort((a, b) => Number(b.type === 'pupil.upserted') - Number(a.type === 'pupil.upserted'));
    const counts: Record<string, number> = {};
    const started = performance.now();
    for (let index = 0; index < events.length; index += 500) {
      for (const result of await post(school.schoolId, secret, events.slice(index, index + 500))) counts[result.status] = (counts[result.status] ?? 0) + 1;
      process.stdout.write(`\r  ${school.name}: ${Math.min(index + 500, events.length)}/${events.length} events posted`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`\r  ${school.name}: ${events.length} events in ${seconds.toFixed(1)} s — ${Object.entries(counts).map(([status, count]) => `${count} ${status}`).join(', ')}`);
  }

  await fetch(`${base}/local/flush`, { method: 'POST' });
  if (values['no-rollup']) return;
  for (const school of schools) {
    await target.invoke('rollup-school', { source: 'tracker.rollups', 'detail-type': 'rollup.requested', detail: { schoolId: school.schoolId, week: lastWeek, sendEmail: true } });
    console.log(`  rollup ${school.schoolId} ${lastWeek}: stored and emailed to ${school.leaders.join(', ')}`);
  }
  await fetch(`${base}/local/flush`, { method: 'POST' });
  console.log(`Done. Emails: ${base}/local/outbox.html — or \`npx tracker rollup --school oak-primary --week ${lastWeek} --json\``);
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
