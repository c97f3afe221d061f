import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSource } from '../../events/bus';
import { removeStaff } from '../../infra/cli/staff';
import { cognitoClient } from '../../infra/local/cognito-local';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { signIn } from '../../shared/auth/sign-in';
import { incident, interventionStarted, outcomeMeasure, pupil, restorativeSession, restrictiveIntervention, staffRoster } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';
import { decodeJwt, emulatorPrivateKey, signJwt, staffHelpers, staffPassword, strangerPrivateKey, type StaffHelpers } from '../support/staff';

/**
 * Contract section 6 over HTTP against the local stack: cognito-local tokens, the local JWT
 * check, the staff-api function, DynamoDB Local, stream, bus and outbox.
 */
const clock = { now: () => new Date('2026-11-23T09:00:00Z') };
const accessTokenSeconds = 6;
let stack: TestStack;
let staff: StaffHelpers;
let oakSecret: string;
let riversideSecret: string;
const users = {
  staff: 'staff@oak.example.org',
  leader: 'head@oak.example.org',
  dsl: 'dsl@oak.example.org',
  trust: 'ceo@trust.example.org',
  riverside: 'staff@riverside.example.org',
};
const userIds: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack({ clock, accessTokenSeconds });
  staff = await staffHelpers(stack);
  oakSecret = await stack.addSchool({ schoolId: 'oak', dslEmail: 'dsl-alerts@oak.example.org' });
  riversideSecret = await stack.addSchool({ schoolId: 'riverside' });
  for (const [key, email] of Object.entries(users)) {
    const role = key === 'riverside' ? 'staff' : (key as 'staff' | 'leader' | 'dsl' | 'trust');
    userIds[key] = (await staff.add(email, role, key === 'trust' ? undefined : key === 'riverside' ? 'riverside' : 'oak')).userId;
  }
  await stack.post('oak', oakSecret, {
    events: [
      ...staffRoster(),
      ...Array.from({ length: 55 }, (_, index) =>
        pupil({ pupilId: `M${String(index).padStart(3, '0')}`, data: { firstName: 'Morgan', lastName: `Many${index}` } }),
      ),
    ],
  });
  await stack.post('riverside', riversideSecret, { events: [pupil({ pupilId: 'R001', data: { firstName: 'Riley', lastName: 'River' } })] });
}, 180_000);

afterAll(async () => {
  await stack?.cleanup();
});

const as = async (who: keyof typeof users) => staff.token(users[who]);

describe('401: no way in without a valid access token of this pool and client', () => {
  const path = '/v1/schools/oak/pupils?q=alex';

  it('missing, malformed and non-Bearer tokens', async () => {
    expect((await staff.api(undefined, 'GET', path)).status).toBe(401);
    expect((await staff.api('not-a-jwt', 'GET', path)).status).toBe(401);
    expect((await staff.api(undefined, 'GET', path, undefined, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).status).toBe(401);
  });

  it('expired, forged (another key), for another client, or an id token', async () => {
    const real = decodeJwt(await as('staff'));
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt({ ...real, iat: now - 3600, exp: now - 1800 }, emulatorPrivateKey());
    const forged = signJwt({ ...real, exp: now + 600 }, strangerPrivateKey());
    const otherClient = signJwt({ ...real, client_id: 'someone-else', exp: now + 600 }, emulatorPrivateKey());
    const idToken = signJwt({ ...real, token_use: 'id', exp: now + 600 }, emulatorPrivateKey());
    for (const token of [expired, forged, otherClient, idToken]) expect((await staff.api(token, 'GET', path)).status).toBe(401);
    // The emulator's own key and claims, unexpired: accepted, so the refusals above are for the reason named.
    expect((await staff.api(signJwt({ ...real, exp: now + 600 }, emulatorPrivateKey()), 'GET', path)).status).toBe(200);
  });

  it('a token of another user pool (same emulator, same groups) is refused', async () => {
    const admin = cognitoClient(stack.cognito.endpoint);
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'other', UsernameAttributes: ['email'] }));
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'other', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    await admin.send(new AdminCreateUserCommand({ UserPoolId: UserPool!.Id!, Username: users.staff, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool!.Id!, Username: users.staff, Password: staffPassword, Permanent: true }));
    admin.destroy();
    const step = await signIn({ endpoint: stack.cognito.endpoint, clientId: UserPoolClient!.ClientId! }, users.staff, staffPassword);
    expect(step.step).toBe('signed-in');
    expect((await staff.api(step.step === 'signed-in' ? step.accessToken : '', 'GET', path)).status).toBe(401);
  });

  it("a removed user cannot sign in, and their issued token stops working when it expires (≤ the token's life)", async () => {
    await staff.add('leaver@oak.example.org', 'staff', 'oak');
    const token = await staff.token('leaver@oak.example.org');
    const claims = decodeJwt(token);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
    expect((await staff.api(token, 'GET', path)).status).toBe(200);
    await removeStaff({ email: 'leaver@oak.example.org' }, staff.target);
    await expect(staff.token('leaver@oak.example.org')).rejects.toThrow(/sign-in refused/);
    await new Promise((resolve) => setTimeout(resolve, (claims.exp - Math.floor(Date.now() / 1000) + 1.5) * 1000));
    expect((await staff.api(token, 'GET', path)).status).toBe(401);
  }, 30_000);
});

describe('403: other schools and actions the role may not take', () => {
  it('the same 403 body whether or not the pupil exists (tenant isolation)', async () => {
    const token = await as('riverside');
    const existing = await staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology');
    const missing = await staff.api(token, 'GET', '/v1/schools/oak/pupils/NOPE/chronology');
    const noSchool = await staff.api(token, 'GET', '/v1/schools/ghost/pupils/P001/chronology');
    expect([existing.status, missing.status, noSchool.status]).toEqual([403, 403, 403]);
    expect(missing.body).toEqual(existing.body);
    expect(noSchool.body).toEqual(existing.body);
    expect((await staff.api(token, 'GET', '/v1/schools/oak/pupils?q=a')).status).toBe(403);
    expect((await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [incident({ pupilId: 'P001' })] })).status).toBe(403);
    // Their own school answers: only riverside's pupils.
    const own = await staff.api(token, 'GET', '/v1/schools/riverside/pupils?q=');
    expect(own.body.pupils.map((p: { pupilId: string }) => p.pupilId)).toEqual(['R001']);
  });

  it('role × action table', async () => {
    const actions = {
      search: (token: string) => staff.api(token, 'GET', '/v1/schools/oak/pupils?q=alex'),
      chronology: (token: string) => staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology'),
      figures: (token: string) => staff.api(token, 'GET', '/v1/schools/oak/weeks/2026-W47/figures'),
      post: (token: string) => staff.api(token, 'POST', '/v1/schools/oak/records', { events: [incident({ pupilId: 'P001' })] }),
    };
    // 404 for figures: allowed, but that week has not been rolled up.
    const expected = {
      staff: { search: 200, chronology: 200, figures: 403, post: 200 },
      leader: { search: 200, chronology: 200, figures: 404, post: 200 },
      dsl: { search: 200, chronology: 200, figures: 404, post: 200 },
      trust: { search: 403, chronology: 403, figures: 404, post: 403 },
    };
    for (const role of Object.keys(expected) as (keyof typeof expected)[]) {
      const token = await as(role);
      const actual = Object.fromEntries(await Promise.all(Object.entries(actions).map(async ([name, act]) => [name, (await act(token)).status])));
      expect({ role, ...actual }).toEqual({ role, ...expected[role] });
    }
  });
});

describe('pupil search', () => {
  it('finds by name or id, case-insensitively, at most 50', async () => {
    const token = await as('staff');
    expect((await staff.api(token, 'GET', '/v1/schools/oak/pupils?q=TAYLOR')).body).toEqual({
      pupils: [{ pupilId: 'P001', firstName: 'Alex', lastName: 'Taylor', yearGroup: '8' }],
    });
    expect((await staff.api(token, 'GET', '/v1/schools/oak/pupils?q=p002')).body.pupils.map((p: { pupilId: string }) => p.pupilId)).toEqual(['P002']);
    expect((await staff.api(token, 'GET', '/v1/schools/oak/pupils?q=morgan')).body.pupils).toHaveLength(50);
  });
});

describe('records: the webhook core, with recordedBy from the token', () => {
  it('recordedBy is the signed-in user whatever the body says; MIS-only types are rejected per event on path `type`', async () => {
    const token = await as('staff');
    const spoof = { ...incident({ pupilId: 'P001', data: { notes: 'calm now' } }), recordedBy: 'someone-else' };
    const response = await staff.api(token, 'POST', '/v1/schools/oak/records', {
      events: [spoof, pupil({ pupilId: 'P009' }), { ...incident({ pupilId: 'P001' }), type: 'attendance.marked' }],
    });
    expect(response.status).toBe(207);
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(response.body.results[1].errors).toEqual([{ path: 'type', message: expect.stringContaining('MIS') }]);
    expect(response.body.results[2].errors[0].path).toBe('type');
    const again = await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [spoof] });
    expect(again.body.results[0].status).toBe('duplicate');
    const chronology = await staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology');
    const entry = chronology.body.entries.find((e: { eventId: string; kind: string }) => e.eventId === spoof.eventId && e.kind === 'incident.recorded');
    expect(entry).toMatchObject({ kind: 'incident.recorded', recordedBy: userIds.staff, data: { notes: 'calm now' } });
    expect(JSON.stringify(chronology.body)).not.toContain('someone-else');
  });

  it('bad bodies: malformed JSON 400, wrong shape 400, wrong media type 415, over 1 MiB 413, invalid event 422 naming the path', async () => {
    const token = await as('staff');
    const post = (body: unknown, headers?: Record<string, string>) => staff.api(token, 'POST', '/v1/schools/oak/records', body, headers);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ events: [] })).status).toBe(400);
    expect((await post({ events: [incident()] }, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(Buffer.alloc(1024 * 1024 + 1, 32))).status).toBe(413);
    const invalid = await post({ events: [incident({ data: { severity: 9 } })] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.results[0].errors[0].path).toBe('data.severity');
  });

  it("script in text fields is stored and returned as text, and escaped in parents' emails", async () => {
    const token = await as('staff');
    const script = '<script>alert("x")</script>';
    const session = restorativeSession({ data: { summaryForParents: `Agreed to talk ${script}`, notes: script } });
    expect((await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [session] })).status).toBe(200);
    await stack.flush();
    const chronology = await staff.api(token, 'GET', '/v1/schools/oak/pupils/P002/chronology');
    const entry = chronology.body.entries.find((e: { eventId: string; kind: string }) => e.eventId === session.eventId && e.kind !== 'notification');
    expect(entry.data.notes).toBe(script);
    const mails = (await stack.outbox()).filter((mail) => mail.to.includes('kim.smith@example.org'));
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.at(-1)!.html).not.toContain('<script>');
    expect(mails.at(-1)!.html).toContain('&lt;script&gt;');
  });
});

describe('chronology', () => {
  it('a safeguarding incident (in any version) is restricted for staff and leader, in full for the DSL; trust gets 403', async () => {
    const first = incident({
      pupilId: 'P001',
      occurredAt: '2026-11-20T10:00:00Z',
      data: { incidentId: 'SG1', safeguardingConcern: true, notes: 'disclosure' },
    });
    const second = incident({ pupilId: 'P001', occurredAt: '2026-11-20T11:00:00Z', data: { incidentId: 'SG1', safeguardingConcern: false } });
    await stack.post('oak', oakSecret, { events: [first, second] });
    await stack.flush();
    const ids = new Set([first.eventId, second.eventId]);
    for (const role of ['staff', 'leader'] as const) {
      const body = (await staff.api(await as(role), 'GET', '/v1/schools/oak/pupils/P001/chronology?limit=100')).body;
      expect(body.entries.filter((e: { eventId?: string }) => ids.has(e.eventId!))).toEqual([]);
      expect(body.entries).toContainEqual({ kind: 'restricted', occurredAt: '2026-11-20T10:00:00Z' });
      expect(body.entries).toContainEqual({ kind: 'restricted', occurredAt: '2026-11-20T11:00:00Z' });
      expect(JSON.stringify(body)).not.toContain('disclosure');
    }
    const dsl = (await staff.api(await as('dsl'), 'GET', '/v1/schools/oak/pupils/P001/chronology?limit=100')).body;
    expect(dsl.entries.filter((e: { eventId?: string; kind: string }) => ids.has(e.eventId!) && e.kind === 'incident.recorded')).toHaveLength(2);
    expect(JSON.stringify(dsl)).toContain('disclosure');
    expect((await staff.api(await as('trust'), 'GET', '/v1/schools/oak/pupils/P001/chronology')).status).toBe(403);
  });

  it('newest first with cursor pagination; a cursor of another pupil is refused', async () => {
    const token = await as('dsl');
    const all = (await staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology?limit=100')).body;
    expect(all.pupil).toMatchObject({ pupilId: 'P001', firstName: 'Alex' });
    expect(all.entries.length).toBeGreaterThan(3);
    const times = all.entries.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = (await staff.api(token, 'GET', `/v1/schools/oak/pupils/P001/chronology?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.entries);
    const p2 = (await staff.api(token, 'GET', '/v1/schools/oak/pupils/P002/chronology?limit=1')).body;
    expect(p2.nextCursor).toBeDefined();
    expect((await staff.api(token, 'GET', `/v1/schools/oak/pupils/P001/chronology?cursor=${p2.nextCursor}`)).status).toBe(400);
    expect((await staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology?cursor=garbage')).status).toBe(400);
  });

  it('a restorative session shows on every participating pupil, with the notification decisions', async () => {
    const token = await as('staff');
    const session = restorativeSession({ data: { summaryForParents: 'They talked it through.' } });
    await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [session] });
    await stack.flush();
    for (const pupilId of ['P001', 'P002']) {
      const entries = (await staff.api(token, 'GET', `/v1/schools/oak/pupils/${pupilId}/chronology?limit=100`)).body.entries;
      expect(entries.some((e: { eventId: string; kind: string }) => e.eventId === session.eventId && e.kind === 'restorative.session.recorded')).toBe(true);
      expect(entries.some((e: { eventId: string; kind: string }) => e.eventId === session.eventId && e.kind === 'notification')).toBe(true);
    }
  });
});

describe('the v2 record types through the staff API', () => {
  it('staff record a restrictive intervention and an SDQ; the chronology shows them, the measure with its total and bands', async () => {
    const token = await as('staff');
    const restraint = restrictiveIntervention({ pupilId: 'P001' });
    const sdq = outcomeMeasure({ pupilId: 'P001' });
    const posted = await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [restraint, sdq] });
    expect(posted.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    const entries = (await staff.api(token, 'GET', '/v1/schools/oak/pupils/P001/chronology?limit=100')).body.entries;
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'restrictive.intervention.recorded', eventId: restraint.eventId, recordedBy: userIds.staff }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        kind: 'outcome.measure.recorded',
        eventId: sdq.eventId,
        totalDifficulties: expect.any(Number),
        bands: expect.objectContaining({ total: expect.any(String) }),
      }),
    );
  });
});

describe('weekly figures', () => {
  it('leaders, the DSL and trust read the stored rollup; staff may not', async () => {
    await stack.invoke('rollup-school', {
      source: rollupSource,
      'detail-type': 'rollup.requested',
      detail: { schoolId: 'oak', week: '2026-W47', sendEmail: false },
    });
    for (const role of ['leader', 'dsl', 'trust'] as const) {
      const response = await staff.api(await as(role), 'GET', '/v1/schools/oak/weeks/2026-W47/figures');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ schoolId: 'oak', week: '2026-W47', attendance: expect.any(Object) });
    }
    expect((await staff.api(await as('staff'), 'GET', '/v1/schools/oak/weeks/2026-W47/figures')).status).toBe(403);
    expect((await staff.api(await as('leader'), 'GET', '/v1/schools/oak/weeks/2026-W99/figures')).status).toBe(400);
  });
});

describe('caseload and follow-ups (for the staff app)', () => {
  it("my caseload holds the interventions I started; follow-ups due list the school's restorative follow-ups", async () => {
    const token = await as('staff');
    const mine = interventionStarted({ pupilId: 'P001', data: { interventionId: 'MINE-1', title: 'Mentoring with me' } });
    const theirs = interventionStarted({ pupilId: 'P002', data: { interventionId: 'THEIRS-1' } });
    await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [mine] });
    await staff.api(await as('leader'), 'POST', '/v1/schools/oak/records', { events: [theirs] });
    const session = restorativeSession({ data: { followUpDate: '2026-11-25' } });
    await staff.api(token, 'POST', '/v1/schools/oak/records', { events: [session] });
    const caseload = await staff.api(token, 'GET', '/v1/schools/oak/caseload');
    expect(caseload.body.interventions.map((i: { interventionId: string }) => i.interventionId)).toEqual(['MINE-1']);
    const due = await staff.api(token, 'GET', '/v1/schools/oak/follow-ups');
    expect(due.body.followUps).toContainEqual(expect.objectContaining({ eventId: session.eventId, followUpDate: '2026-11-25', pupilIds: ['P001', 'P002'] }));
    expect((await staff.api(await as('trust'), 'GET', '/v1/schools/oak/caseload')).status).toBe(403);
    expect((await staff.api(await as('riverside'), 'GET', '/v1/schools/oak/follow-ups')).status).toBe(403);
  });
});

describe('tracker staff … as a trust IT person runs it (contract section 2 rules)', () => {
  const tracker = (...args: string[]) =>
    promisify(execFile)('node', ['bin/tracker.mjs', ...args], { env: { ...process.env, PORT: String(stack.port) } }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('add prints the user as JSON, a second add fails with one line, token prints {accessToken, expiresIn}', async () => {
    const added = await tracker('staff', 'add', '--email', 'cli@oak.example.org', '--role', 'dsl', '--school', 'oak', '--password', staffPassword, '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ userId: expect.any(String), email: 'cli@oak.example.org', role: 'dsl', schoolId: 'oak' });
    const trust = await tracker('staff', 'add', '--email', 'cli-trust@example.org', '--role', 'trust', '--password', staffPassword, '--json');
    expect(JSON.parse(trust.stdout)).toMatchObject({ role: 'trust', schoolId: null });
    const again = await tracker('staff', 'add', '--email', 'cli@oak.example.org', '--role', 'dsl', '--school', 'oak', '--json');
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect((await tracker('staff', 'add', '--email', 'x@oak.example.org', '--role', 'staff', '--school', 'ghost')).stderr).toContain('no school');
    expect((await tracker('staff', 'add', '--email', 'y@oak.example.org', '--role', 'staff', '--school', 'oak', '--password', 'weak')).stderr).toContain(
      '--password needs',
    );
    const token = await tracker('staff', 'token', '--email', 'cli@oak.example.org', '--password', staffPassword, '--json');
    const parsed = JSON.parse(token.stdout);
    expect(parsed).toEqual({ accessToken: expect.any(String), expiresIn: expect.any(Number) });
    expect((await staff.api(parsed.accessToken, 'GET', '/v1/me')).body).toMatchObject({ role: 'dsl', schoolId: 'oak' });
    expect((await tracker('staff', 'remove', '--email', 'cli@oak.example.org', '--json')).code).toBe(0);
    expect((await tracker('staff', 'token', '--email', 'cli@oak.example.org', '--password', staffPassword)).code).not.toBe(0);
  }, 60_000);
});
