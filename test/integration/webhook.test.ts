import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { rotateSecret } from '../../shared/services/schools';
import { attendanceMark, incident, pupil, restorativeSession } from '../support/events';
import { signedPost, startTestStack, type TestStack } from '../support/local-stack';

/** Contract section 3 end to end: HTTP → webhook handler → DynamoDB Local. */
let stack: TestStack;
let secret: string;
let otherSecret: string;
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

beforeAll(async () => {
  stack = await startTestStack({ clock });
  secret = await stack.addSchool({ schoolId: 'oak' });
  otherSecret = await stack.addSchool({ schoolId: 'elm' });
});
afterAll(() => stack?.cleanup());

const records = (schoolId: string, pupilId: string) => readPupilRecords(stack.adapters.table, schoolId, pupilId, '2026-11-23');

describe('status table', () => {
  it('200: every event stored, results in input order', async () => {
    const events = [attendanceMark({ pupilId: 'S200', code: '/' }), incident({ pupilId: 'S200' })];
    const response = await stack.post('oak', secret, { events });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual(events.map((event) => ({ eventId: event.eventId, status: 'accepted' })));
  });

  it('207: some stored, some rejected with the dotted path', async () => {
    const good = attendanceMark({ pupilId: 'S207' });
    const bad = attendanceMark({ pupilId: 'S207', code: 'ZZ' });
    const response = await stack.post('oak', secret, { events: [bad, good] });
    expect(response.status).toBe(207);
    expect(response.body.results[0]).toMatchObject({ eventId: bad.eventId, status: 'rejected', errors: [{ path: 'data.code' }] });
    expect(response.body.results[1]).toEqual({ eventId: good.eventId, status: 'accepted' });
    expect((await records('oak', 'S207')).attendance).toHaveLength(1);
  });

  it('422: every event rejected, and nothing stored', async () => {
    const unknownType = { ...incident({ pupilId: 'S422' }), type: 'pupil.deleted' };
    const missingPupil = { ...incident(), pupilId: undefined };
    const response = await stack.post('oak', secret, { events: [unknownType, missingPupil] });
    expect(response.status).toBe(422);
    expect(response.body.results.map((result: { errors: { path: string }[] }) => result.errors[0]!.path)).toEqual(['type', 'pupilId']);
    expect((await records('oak', 'S422')).events).toHaveLength(0);
  });

  it('400: not JSON, not {"events": [...]}, empty or over 500 events', async () => {
    for (const raw of ['{not json', '[]', '{"events": []}', JSON.stringify({ events: Array(501).fill({}) })]) {
      const response = await stack.post('oak', secret, undefined, { raw });
      expect(response.status, raw.slice(0, 20)).toBe(400);
      expect(response.body.error).toBeTypeOf('string');
    }
  });

  it('401: missing or bad signature, stale timestamp, unknown school', async () => {
    const body = { events: [attendanceMark()] };
    const now = Math.floor(Date.now() / 1000);
    expect((await stack.post('oak', secret, body, { signature: 'v1=00' })).status).toBe(401);
    expect((await stack.post('oak', secret, body, { signature: '' })).status).toBe(401);
    // Margins well past the 300 s window, so a slow machine can't drift across the edge.
    expect((await stack.post('oak', secret, body, { timestamp: now - 400 })).status).toBe(401);
    expect((await stack.post('oak', secret, body, { timestamp: now + 400 })).status).toBe(401);
    expect((await stack.post('nowhere', secret, body)).status).toBe(401);
    // Inside the 300 s window is fine.
    expect((await stack.post('oak', secret, body, { timestamp: now - 200 })).status).toBe(200);
  });

  it('413: body over 1 MiB, before anything is parsed', async () => {
    const raw = JSON.stringify({ events: [attendanceMark()], padding: 'x'.repeat(1024 * 1024) });
    const response = await stack.post('oak', secret, undefined, { raw });
    expect(response.status).toBe(413);
  });

  it('415: not application/json', async () => {
    const response = await stack.post('oak', secret, { events: [attendanceMark()] }, { contentType: 'text/plain' });
    expect(response.status).toBe(415);
    const withCharset = await stack.post('oak', secret, { events: [attendanceMark()] }, { contentType: 'application/json; charset=utf-8' });
    expect(withCharset.status).toBe(200);
  });

  it('ignores unknown fields, keeps the known ones', async () => {
    const mark = { ...attendanceMark({ pupilId: 'SUNK' }), vendorExtra: 1, data: { ...attendanceMark().data, colour: 'red' } };
    expect((await stack.post('oak', secret, { events: [mark] })).status).toBe(200);
    const [stored] = (await records('oak', 'SUNK')).attendance;
    expect(stored).toMatchObject({ code: '/', session: 'AM' });
    expect(stored).not.toHaveProperty('colour');
  });
});

describe('idempotency', () => {
  it('a replayed batch answers duplicate and changes nothing', async () => {
    const events = [attendanceMark({ pupilId: 'SREP' }), incident({ pupilId: 'SREP' }), pupil({ pupilId: 'SREP' }), restorativeSession()];
    expect((await stack.post('oak', secret, { events })).status).toBe(200);
    // Let the fan-out (notification decisions) settle, so only the replay could change anything.
    await stack.flush();
    const before = await records('oak', 'SREP');
    const replay = await stack.post('oak', secret, { events });
    expect(replay.status).toBe(200);
    await stack.flush();
    expect(replay.body.results.map((result: { status: string }) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await records('oak', 'SREP')).toEqual(before);
  });

  it('20 identical requests at once store one record and answer accepted exactly once', async () => {
    for (const event of [
      attendanceMark({ pupilId: 'SCON' }),
      incident({ pupilId: 'SCON' }),
      restorativeSession({
        data: {
          participants: [
            { pupilId: 'SCON', role: 'harmed' },
            { pupilId: 'SCON2', role: 'responsible' },
          ],
        },
      }),
    ]) {
      const responses = await Promise.all(Array.from({ length: 20 }, () => stack.post('oak', secret, { events: [event] })));
      const statuses = responses.map((response) => response.body.results[0].status);
      expect(
        statuses.filter((status) => status === 'accepted'),
        event.type,
      ).toHaveLength(1);
      expect(
        statuses.filter((status) => status === 'duplicate'),
        event.type,
      ).toHaveLength(19);
    }
    const stored = await records('oak', 'SCON');
    expect(stored.attendance).toHaveLength(1);
    expect(stored.events.filter((event) => event.type === 'incident.recorded')).toHaveLength(1);
    expect(stored.events.filter((event) => event.type === 'restorative.session.recorded')).toHaveLength(1);
  });

  it('the same eventId in two schools is two events', async () => {
    const mark = attendanceMark({ pupilId: 'SBOTH' });
    expect((await stack.post('oak', secret, { events: [mark] })).body.results[0].status).toBe('accepted');
    expect((await stack.post('elm', otherSecret, { events: [mark] })).body.results[0].status).toBe('accepted');
  });
});

describe('latest occurredAt wins', () => {
  it('attendance: a later mark replaces, an older one arriving late changes nothing but is remembered', async () => {
    const first = attendanceMark({ pupilId: 'SORD', code: 'N', occurredAt: '2026-11-23T08:50:00Z' });
    const correction = attendanceMark({ pupilId: 'SORD', code: 'L', minutesLate: 12, occurredAt: '2026-11-23T09:30:00+00:00' });
    const stale = attendanceMark({ pupilId: 'SORD', code: 'O', occurredAt: '2026-11-23T09:00:00+01:00' });
    for (const event of [first, correction, stale]) {
      expect((await stack.post('oak', secret, { events: [event] })).body.results[0].status).toBe('accepted');
    }
    expect((await stack.post('oak', secret, { events: [stale] })).body.results[0].status).toBe('duplicate');
    const marks = (await records('oak', 'SORD')).attendance;
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ code: 'L', minutesLate: 12, eventId: correction.eventId });
  });

  it('a later mark without minutesLate clears it', async () => {
    const late = attendanceMark({ pupilId: 'SCLR', code: 'L', minutesLate: 5, occurredAt: '2026-11-23T08:50:00Z' });
    const present = attendanceMark({ pupilId: 'SCLR', code: '/', occurredAt: '2026-11-23T08:55:00Z' });
    await stack.post('oak', secret, { events: [late, present] });
    const [mark] = (await records('oak', 'SCLR')).attendance;
    expect(mark).toMatchObject({ code: '/' });
    expect(mark).not.toHaveProperty('minutesLate');
  });

  it('roster: the latest occurredAt wins whatever the arrival order', async () => {
    const newer = pupil({ pupilId: 'SROS', occurredAt: '2026-11-20T10:00:00Z', data: { yearGroup: '9' } });
    const older = pupil({ pupilId: 'SROS', occurredAt: '2026-11-01T10:00:00Z', data: { yearGroup: '8' } });
    await stack.post('oak', secret, { events: [newer] });
    const response = await stack.post('oak', secret, { events: [older] });
    expect(response.body.results[0].status).toBe('accepted');
    expect((await records('oak', 'SROS')).profile).toMatchObject({ yearGroup: '9', eventId: newer.eventId });
    expect((await stack.post('oak', secret, { events: [older] })).body.results[0].status).toBe('duplicate');
  });
});

describe('tenant isolation and secrets', () => {
  it("school B's secret never writes school A", async () => {
    const mark = attendanceMark({ pupilId: 'SISO' });
    expect((await stack.post('oak', otherSecret, { events: [mark] })).status).toBe(401);
    expect((await records('oak', 'SISO')).attendance).toHaveLength(0);
    expect((await records('elm', 'SISO')).attendance).toHaveLength(0);
  });

  it('after rotation both secrets work for 24 hours, then only the new one', async () => {
    const school = 'rot';
    const oldSecret = await stack.addSchool({ schoolId: school });
    const { webhookSecret: newSecret } = await rotateSecret(school, stack.adapters);
    expect((await stack.post(school, newSecret, { events: [attendanceMark()] })).status).toBe(200);
    expect((await stack.post(school, oldSecret, { events: [attendanceMark()] })).status).toBe(200);
    clock.offsetMs = 24 * 3600 * 1000 + 60_000;
    try {
      expect((await stack.post(school, oldSecret, { events: [attendanceMark()] })).status).toBe(401);
      expect((await stack.post(school, newSecret, { events: [attendanceMark()] })).status).toBe(200);
    } finally {
      clock.offsetMs = 0;
    }
  });
});

describe('the CLI against the running stack', () => {
  const tracker = (...args: string[]) => promisify(execFile)('node', ['bin/tracker.mjs', ...args], { env: { ...process.env, PORT: String(stack.port) } });

  it('adds a school, refuses the same id, and exports what a signed post stored', async () => {
    const added = JSON.parse((await tracker('school', 'add', '--id', 'cli', '--name', 'CLI School', '--leader', 'head@cli.example.org', '--json')).stdout);
    expect(added).toMatchObject({ schoolId: 'cli', webhookUrl: `${stack.url}/v1/schools/cli/events` });
    expect(added.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    await expect(tracker('school', 'add', '--id', 'cli', '--name', 'Again', '--leader', 'x@example.org')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already exists'),
    });
    const mark = attendanceMark({ pupilId: 'PCLI' });
    expect((await signedPost(added.webhookUrl, added.webhookSecret, { events: [mark] })).status).toBe(200);
    const exported = JSON.parse((await tracker('pupil', 'export', '--school', 'cli', '--pupil', 'PCLI', '--json')).stdout);
    expect(exported.attendance).toEqual([expect.objectContaining({ eventId: mark.eventId, code: '/' })]);
  });

  it('fails with a one-line reason for bad input', async () => {
    await expect(tracker('school', 'add', '--id', 'bad id', '--name', 'X', '--leader', 'not-an-email')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^tracker: .+\n$/),
    });
    await expect(tracker('rollup', '--school', 'oak', '--week', '2026-W99')).rejects.toMatchObject({ code: 1 });
  });
});
