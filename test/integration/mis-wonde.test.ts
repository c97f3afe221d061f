import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { WondeSource } from '../../shared/adapters/wonde/wonde-source';
import type { MisAdapters } from '../../shared/ports/mis';
import { connectSchool } from '../../shared/services/mis-connections';
import { syncSchool, type SyncResult } from '../../shared/services/mis-sync';
import { startFakeWonde, wondeContact, wondeStudent, type FakeWonde } from '../support/fake-wonde';
import { startTestStack, type TestStack } from '../support/local-stack';

/** Contract section 9 end to end: fake Wonde over HTTP → sync → the webhook's store core → DynamoDB Local. */
let stack: TestStack;
const waits: number[] = [];
const fakes: FakeWonde[] = [];
/** The Wonde the stack itself is configured with (WONDE_BASE_URL), for the CLI and the scheduler. */
let stackWonde: FakeWonde;

beforeAll(async () => {
  stackWonde = await startFakeWonde({ schoolId: 'W-CEDAR' });
  fakes.push(stackWonde);
  stack = await startTestStack({ operators: ['ops@trust.example.org'], wonde: { baseUrl: stackWonde.baseUrl, pageSize: 2, sleep: async () => {} } });
});
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.stop()));
  await stack?.cleanup();
});

const codes = [
  { id: 'C-PRESENT', code: '/', description: 'Present (AM)' },
  { id: 'C-UNAUTH', code: 'O', description: 'Unauthorised absence' },
  { id: 'C-OLD', code: 'ZZ', description: 'A school-specific code with no DfE equivalent' },
];

/** A tracker school connected to its own fake Wonde school (its own source: one fake per test). */
async function connected(schoolId: string): Promise<{ fake: FakeWonde; sync: () => Promise<SyncResult>; mis: MisAdapters }> {
  const fake = await startFakeWonde({ schoolId: `W-${schoolId}` });
  fakes.push(fake);
  fake.setCodes(codes);
  await stack.addSchool({ schoolId });
  const mis = {
    ...stack.adapters.mis!,
    source: new WondeSource({ baseUrl: fake.baseUrl, pageSize: 2, maxAttempts: 3, sleep: async (ms) => void waits.push(ms) }),
  };
  await connectSchool({ schoolId, misSchoolId: fake.schoolId, token: fake.token }, { ...stack.adapters, mis });
  return { fake, mis, sync: () => syncSchool(schoolId, { ...stack.adapters, mis }) };
}

const records = (schoolId: string, pupilId: string) => readPupilRecords(stack.adapters.table, schoolId, pupilId, '2026-11-23');

describe('a sync', () => {
  it('stores students with contacts and marks through the webhook core; a re-read is all duplicates', async () => {
    const { fake, sync, mis } = await connected('oak');
    for (const id of ['S1', 'S2', 'S3']) fake.upsertStudent(wondeStudent(id));
    fake.mark({ id: 'M1', student: 'S1', date: '2026-11-23', session: 'AM', attendance_code: 'C-PRESENT' });
    fake.mark({ id: 'M2', student: 'S2', date: '2026-11-23', session: 'AM', attendance_code: 'C-UNAUTH' });

    const first = await sync();
    expect(first).toMatchObject({ status: 'complete', events: { 'pupil.upserted': 3, 'attendance.marked': 2 }, duplicates: {}, problems: [] });
    expect(first.cursor).toBeDefined();
    const s1 = await records('oak', 'S1');
    expect(s1.profile).toMatchObject({
      firstName: 'Ada',
      yearGroup: '5',
      contacts: [{ contactId: 'S1-C1', parentalResponsibility: true, notify: true, email: 's1-c1@example.org' }],
    });
    expect(s1.attendance.map((mark) => mark.code)).toEqual(['/']);
    // Three students over pages of two: `meta.pagination.next` was followed.
    expect(fake.requests.some((r) => r.url.includes('/students') && r.url.includes('page=2'))).toBe(true);

    const again = await syncSchool('oak', { ...stack.adapters, mis }, { full: true });
    expect(again).toMatchObject({ status: 'complete', events: {}, duplicates: { 'pupil.upserted': 3, 'attendance.marked': 2 } });
  });

  it('asks only for changes after the cursor, and a changed mark replaces the old one', async () => {
    const { fake, sync } = await connected('ash');
    fake.upsertStudent(wondeStudent('S1'));
    fake.mark({ id: 'M1', student: 'S1', date: '2026-11-23', session: 'PM', attendance_code: 'C-UNAUTH' });
    await sync();
    fake.mark({ id: 'M1', student: 'S1', date: '2026-11-23', session: 'PM', attendance_code: 'C-PRESENT' });
    const second = await sync();
    expect(second.events).toEqual({ 'attendance.marked': 1 });
    expect(fake.requests.filter((r) => r.url.includes('/attendance/session')).at(-1)!.url).toContain('updated_after=');
    expect((await records('ash', 'S1')).attendance.map((mark) => mark.code)).toEqual(['/']);
  });

  it('reports a code with no DfE equivalent, never guesses it, and defaults to no notices without parental responsibility', async () => {
    const { fake, sync } = await connected('elm');
    fake.upsertStudent(
      wondeStudent('S1', {
        contacts: [wondeContact('K1', { parentalResponsibility: null }), wondeContact('K2', { parentalResponsibility: true, email: null })],
      }),
    );
    fake.mark({ id: 'M9', student: 'S1', date: '2026-11-23', session: 'AM', attendance_code: 'C-OLD' });
    const result = await sync();
    expect(result.problems).toEqual([{ ref: 'attendance:M9', reason: 'attendance code C-OLD has no DfE equivalent' }]);
    const s1 = await records('elm', 'S1');
    expect(s1.attendance).toEqual([]);
    expect(s1.profile!.contacts).toEqual([
      expect.objectContaining({ contactId: 'K1', parentalResponsibility: false, notify: false }),
      expect.objectContaining({ contactId: 'K2', parentalResponsibility: true, notify: false }),
    ]);
  });

  it('deletions and leavers end future notices: the roster stays, the contacts go', async () => {
    const { fake, sync } = await connected('yew');
    fake.upsertStudent(wondeStudent('S1'));
    fake.upsertStudent(wondeStudent('S2'));
    await sync();
    fake.deleteStudent('S1');
    fake.leaveStudent('S2');
    const result = await sync();
    expect(result.events).toEqual({ 'pupil.upserted': 2 });
    for (const pupilId of ['S1', 'S2']) expect((await records('yew', pupilId)).profile).toMatchObject({ firstName: 'Ada', contacts: [] });
  });
});

describe('failures', () => {
  it('429 and 500 are retried after Retry-After, without loss or duplicates', async () => {
    const { fake, sync } = await connected('fir');
    for (const id of ['S1', 'S2', 'S3', 'S4', 'S5']) fake.upsertStudent(wondeStudent(id));
    waits.length = 0;
    fake.failNext({ status: 429, retryAfter: '7', resource: 'students' }, { status: 503, resource: 'students' });
    const result = await sync();
    expect(result).toMatchObject({ status: 'complete', events: { 'pupil.upserted': 5 }, duplicates: {} });
    expect(waits[0]).toBe(7000);
    expect(waits).toHaveLength(2);
  });

  it('when retries run out the run stops at its checkpoint; the next run resumes there and ends in the same table', async () => {
    const { fake, sync } = await connected('box');
    for (const id of ['S1', 'S2', 'S3', 'S4', 'S5']) fake.upsertStudent(wondeStudent(id));
    fake.mark({ id: 'M1', student: 'S1', date: '2026-11-23', session: 'AM', attendance_code: 'C-PRESENT' });
    // Page 1 of students is stored; page 2 fails three times (maxAttempts 3).
    fake.failNext(...Array(3).fill({ status: 500, resource: 'students', afterPages: 1 }));
    const partial = await sync();
    expect(partial).toMatchObject({ status: 'unavailable', events: { 'pupil.upserted': 2 } });
    const connection = await stack.adapters.mis!.connections.get('box');
    expect(connection!.checkpoint).toMatchObject({ resource: 'students' });
    expect(connection!.cursors.students).toBeUndefined();

    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'complete', events: { 'pupil.upserted': 3, 'attendance.marked': 1 }, duplicates: {} });
    expect(fake.requests.filter((r) => r.status === 200 && r.url.includes('/students')).at(-2)!.url).toContain('page=2');
    for (const id of ['S1', 'S2', 'S3', 'S4', 'S5']) expect((await records('box', id)).profile).toBeDefined();
  });

  it('a revoked token stops that school, records why and emails the operators once', async () => {
    const { fake, sync } = await connected('pine');
    fake.upsertStudent(wondeStudent('S1'));
    fake.revoke();
    const result = await sync();
    expect(result).toMatchObject({ status: 'revoked', reason: 'Wonde answered 401' });
    expect(await stack.adapters.mis!.connections.get('pine')).toMatchObject({ state: 'revoked', reason: 'Wonde answered 401' });
    const requestsBefore = fake.requests.length;
    expect(await sync()).toMatchObject({ status: 'not-connected' });
    expect(fake.requests.length).toBe(requestsBefore);
    const alerts = (await stack.outbox()).filter((mail) => mail.subject.includes('Wonde access stopped for school pine'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.to).toEqual(['ops@trust.example.org']);
    expect(JSON.stringify(alerts[0])).not.toContain(fake.token || 'fake-wonde-token');
  });
});

describe('access lifecycle webhook', () => {
  const post = (key: string, body: unknown) =>
    fetch(`${stack.url}/v1/mis/wonde/${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, body: await r.json() }),
    );

  it('a wrong key is 401; accessRevoked and schoolApproved move a known connection; an unknown Wonde school adds nothing', async () => {
    const { fake } = await connected('larch');
    await stack.adapters.mis!.tokens.putWebhookKey('k'.repeat(40));
    expect((await post('wrong', { payload_type: 'accessRevoked', school_id: fake.schoolId })).status).toBe(401);
    expect(await post('k'.repeat(40), { payload_type: 'accessRevoked', school_id: fake.schoolId })).toEqual({
      status: 200,
      body: { status: 'revoked', schoolId: 'larch' },
    });
    expect((await stack.adapters.mis!.connections.get('larch'))!.state).toBe('revoked');
    expect(await post('k'.repeat(40), { payload_type: 'schoolApproved', school_id: fake.schoolId })).toEqual({
      status: 200,
      body: { status: 'connected', schoolId: 'larch' },
    });
    const unknown = await post('k'.repeat(40), { payload_type: 'schoolApproved', school_id: 'W-NEVER' });
    expect(unknown.status).toBe(202);
    expect(await stack.adapters.schools.get('W-NEVER')).toBeUndefined();
  });
});

describe('CLI and schedule', () => {
  const tracker = (...args: string[]) => promisify(execFile)('node', ['bin/tracker.mjs', ...args], { env: { ...process.env, PORT: String(stack.port) } });

  it('`school connect` stores the token from a file and never prints it; `sync --json` prints schoolId, events, cursor', async () => {
    stackWonde.setCodes(codes);
    stackWonde.upsertStudent(wondeStudent('S1'));
    stackWonde.mark({ id: 'M1', student: 'S1', date: '2026-11-23', session: 'AM', attendance_code: 'C-PRESENT' });
    await stack.addSchool({ schoolId: 'cedar' });
    const tokenFile = join(await mkdtemp(join(tmpdir(), 'wonde-token-')), 'token');
    await writeFile(tokenFile, `${stackWonde.token}\n`);
    const connect = await tracker('school', 'connect', '--id', 'cedar', '--wonde-school', stackWonde.schoolId, '--token-file', tokenFile, '--json');
    expect(JSON.parse(connect.stdout)).toEqual({ schoolId: 'cedar', provider: 'wonde', wondeSchoolId: 'W-CEDAR', state: 'connected' });
    expect(connect.stdout + connect.stderr).not.toContain(stackWonde.token);

    const sync = await tracker('sync', '--school', 'cedar', '--json');
    const printed = JSON.parse(sync.stdout);
    expect(printed).toMatchObject({ schoolId: 'cedar', events: { 'pupil.upserted': 1, 'attendance.marked': 1 }, status: 'complete' });
    expect(typeof printed.cursor).toBe('string');
    expect(sync.stdout + sync.stderr).not.toContain(stackWonde.token);

    // The minute timer's 15-minute sync of every connected school (the other tests' schools
    // live on other fakes, so they are revoked here first).
    const { connections } = stack.adapters.mis!;
    for (const other of await connections.list())
      if (other.schoolId !== 'cedar') await connections.setState(other.schoolId, 'revoked', 'test', new Date().toISOString());
    stackWonde.upsertStudent(wondeStudent('S2'));
    // The stack's own minute timer may have run a sync already: make this tick's sync due.
    const schedulerFile = join(stack.dataDir, 'scheduler.json');
    const lastRuns = JSON.parse(await readFile(schedulerFile, 'utf8').catch(() => '{}')) as Record<string, string>;
    delete lastRuns['mis-sync'];
    await writeFile(schedulerFile, JSON.stringify(lastRuns));
    await stack.tick();
    expect((await records('cedar', 'S2')).profile).toMatchObject({ firstName: 'Ada' });
  });

  it('`wonde webhook-url` creates the shared key once and prints the lifecycle URL that works', async () => {
    const { stdout } = await tracker('wonde', 'webhook-url', '--json');
    const { webhookUrl } = JSON.parse(stdout) as { webhookUrl: string };
    expect(webhookUrl).toMatch(new RegExp(`^${stack.url}/v1/mis/wonde/[^/]{40,}$`));
    expect(JSON.parse((await tracker('wonde', 'webhook-url', '--json')).stdout).webhookUrl).toBe(webhookUrl);
    const answer = await fetch(webhookUrl, { method: 'POST', body: JSON.stringify({ payload_type: 'schoolApproved', school_id: 'W-NOBODY' }) });
    expect(answer.status).toBe(202);
  });

  it('`sync` of a school with no connection fails with a one-line reason', async () => {
    await stack.addSchool({ schoolId: 'rowan' });
    await expect(tracker('sync', '--school', 'rowan', '--json')).rejects.toMatchObject({ stderr: 'tracker: school rowan was not synced: no MIS connection\n' });
  });
});
