import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupSource } from '../../events/bus';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { isoWeekOf } from '../../shared/domain/calendar';
import { sign } from '../../shared/domain/signature';
import { pupilExport } from '../../shared/services/pupil-export';
import { revokePreviousSecret, rotateSecret } from '../../shared/services/schools';
import { MailFaults, StorageFaults } from '../support/faults';
import { captureLogs } from '../support/logs';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Security over HTTP against the local stack: replayed and forged signatures, another
 * school's secret, rotated-out secrets, tenant isolation in keys, and logs free of pupil
 * names, notes and contact details (captured at DEBUG through a whole flow, faults included).
 * (Timing-safe comparison: security-timing-safe.test.ts. IAM: the CDK tests.)
 */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
const storage = new StorageFaults();
const mail = new MailFaults();
let stack: TestStack;
let oak: string;
let elm: string;

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapEvents: storage.wrap, wrapMailer: mail.wrap });
  oak = await stack.addSchool({ schoolId: 'oak', dslEmail: 'dsl@oak.example.org' });
  elm = await stack.addSchool({ schoolId: 'elm' });
});
afterAll(() => stack?.cleanup());

const today = () => clock.now().toISOString().slice(0, 10);
const mark = (eventId: string, pupilId: string, code = '/') => ({
  eventId,
  type: 'attendance.marked',
  occurredAt: '2026-11-16T08:50:00Z',
  pupilId,
  data: { date: '2026-11-16', session: 'AM', code },
});
const records = (schoolId: string, pupilId: string) => readPupilRecords(stack.adapters.table, schoolId, pupilId, today());

/** Sends exactly these bytes and headers (what an attacker who captured a request holds). */
async function sendRaw(schoolId: string, raw: string, timestamp: string, signature: string) {
  const response = await fetch(`${stack.url}/v1/schools/${schoolId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tracker-timestamp': timestamp, 'x-tracker-signature': signature },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('signatures', () => {
  it('a captured request replayed: inside the 300 s window a harmless duplicate, outside it refused', async () => {
    const raw = JSON.stringify({ events: [mark('replay-1', 'SR1')] });
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const signature = sign(oak, timestamp, raw);
    expect((await sendRaw('oak', raw, timestamp, signature)).body.results[0].status).toBe('accepted');
    expect((await sendRaw('oak', raw, timestamp, signature)).body.results[0].status).toBe('duplicate');
    try {
      clock.offsetMs = 301_000;
      expect(await sendRaw('oak', raw, timestamp, signature)).toMatchObject({ status: 401, body: { error: expect.stringContaining('300 s') } });
      clock.offsetMs = -310_000; // the same request seen as coming from the future
      expect((await sendRaw('oak', raw, timestamp, signature)).status).toBe(401);
    } finally {
      clock.offsetMs = 0;
    }
    expect((await records('oak', 'SR1')).attendance).toHaveLength(1);
  });

  it('a signature over other bytes is refused: a changed value, reformatted JSON, another timestamp', async () => {
    const original = JSON.stringify({ events: [mark('forge-1', 'SF1', '/')] });
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const signature = sign(oak, timestamp, original);
    const changed = original.replace('"code":"/"', '"code":"N"');
    expect(changed).toHaveLength(original.length);
    expect((await sendRaw('oak', changed, timestamp, signature)).status).toBe(401);
    expect((await sendRaw('oak', JSON.stringify(JSON.parse(original), null, 1), timestamp, signature)).status).toBe(401);
    expect((await sendRaw('oak', original, String(Number(timestamp) + 1), signature)).status).toBe(401);
    expect((await sendRaw('oak', original, timestamp, signature.toUpperCase())).status).toBe(401);
    expect((await sendRaw('oak', original, timestamp, `${signature},${signature}`)).status).toBe(401);
    expect((await records('oak', 'SF1')).attendance).toHaveLength(0);
  });

  it("another school's secret is refused for this school, and nothing is written to either", async () => {
    for (const [schoolId, secret] of [
      ['oak', elm],
      ['elm', oak],
    ] as const) {
      expect((await stack.post(schoolId, secret, { events: [mark(`cross-${schoolId}`, 'SX1')] })).status).toBe(401);
    }
    expect((await records('oak', 'SX1')).attendance).toHaveLength(0);
    expect((await records('elm', 'SX1')).attendance).toHaveLength(0);
  });

  it('an unknown school and a bad signature get the same answer, so school ids cannot be probed', async () => {
    const unknown = await stack.post('nowhere', oak, { events: [mark('probe-1', 'SP1')] });
    const badSignature = await stack.post('oak', oak, { events: [mark('probe-2', 'SP1')] }, { signature: `v1=${'0'.repeat(64)}` });
    const impossible = await stack.post('x'.repeat(300), oak, { events: [mark('probe-3', 'SP1')] });
    expect(unknown).toEqual(badSignature);
    expect(impossible).toEqual(badSignature);
  });

  it('a rotated-out secret works for 24 hours after the rotation, then never; the one before it not at all', async () => {
    const first = await stack.addSchool({ schoolId: 'rot' });
    const { webhookSecret: second } = await rotateSecret('rot', stack.adapters);
    const post = async (secret: string, n: string) => (await stack.post('rot', secret, { events: [mark(`rot-${n}`, 'SRT')] })).status;
    try {
      clock.offsetMs = 24 * 3_600_000 - 60_000;
      expect(await post(first, 'a')).toBe(200);
      clock.offsetMs = 24 * 3_600_000 + 1_000;
      expect(await post(first, 'b')).toBe(401);
      expect(await post(second, 'c')).toBe(200);
    } finally {
      clock.offsetMs = 0;
    }
    const { webhookSecret: third } = await rotateSecret('rot', stack.adapters);
    expect(await post(first, 'd')).toBe(401); // two rotations ago: gone at once
    expect(await post(second, 'e')).toBe(200); // the one just replaced: its 24 hours start now
    expect(await post(third, 'f')).toBe(200);
  });

  it('tracker school revoke-secret ends a leaked previous secret at once; the current one keeps working', async () => {
    const leaked = await stack.addSchool({ schoolId: 'leak' });
    const { webhookSecret: current } = await rotateSecret('leak', stack.adapters);
    const post = async (secret: string, n: string) => (await stack.post('leak', secret, { events: [mark(`leak-${n}`, 'SLK')] })).status;
    expect(await post(leaked, 'a')).toBe(200); // in its 24 hours of grace
    const { stdout } = await promisify(execFile)('node', ['bin/tracker.mjs', 'school', 'revoke-secret', '--id', 'leak', '--json'], {
      env: { ...process.env, PORT: String(stack.port) },
    });
    expect(JSON.parse(stdout)).toEqual({ schoolId: 'leak', previousSecretRevoked: true });
    expect(await post(leaked, 'b')).toBe(401);
    expect(await post(current, 'c')).toBe(200);
    expect(await revokePreviousSecret('leak', stack.adapters)).toEqual({ revoked: false });
  });
});

describe('tenant isolation', () => {
  it("ids are escaped in keys: pupil K never sees K#2's or K%23's records, and schools never share", async () => {
    const pupils = ['K', 'K#2', 'K%232', 'K#', 'K%'];
    const events = pupils.flatMap((pupilId, n) => [
      mark(`iso-mark-${n}`, pupilId),
      {
        eventId: `iso-inc-${n}`,
        type: 'incident.recorded',
        occurredAt: '2026-11-16T10:00:00Z',
        pupilId,
        data: { incidentId: `I${n}`, category: 'disruption', severity: 1 },
      },
    ]);
    expect((await stack.post('oak', oak, { events })).status).toBe(200);
    expect((await stack.post('elm', elm, { events: [mark('iso-elm', 'K')] })).status).toBe(200);
    for (const [n, pupilId] of pupils.entries()) {
      const held = await records('oak', pupilId);
      expect(
        held.attendance.map((item) => item.eventId),
        pupilId,
      ).toEqual([`iso-mark-${n}`]);
      expect(
        held.events.map((item) => item.eventId),
        pupilId,
      ).toEqual([`iso-inc-${n}`]);
    }
    const elmK = await records('elm', 'K');
    expect(elmK.attendance.map((item) => item.eventId)).toEqual(['iso-elm']);
    expect(elmK.events).toEqual([]);
  });
});

describe('logs', () => {
  /** What a school posts that must never appear in a log line. */
  const secrets = {
    pupilFirst: 'Zebedee',
    pupilLast: 'Quillfeather',
    contactName: 'Marigold Thistlewood',
    email: 'marigold.thistlewood@example.org',
    phone: '07700 900461',
    otherEmail: 'ossian.brackenbury@example.org',
    otherPhone: '+44 7700 900987',
    incidentNote: 'NOTE-7f3a bit a classmate in the corridor',
    technique: 'TECH-51c2 two-person hold',
    location: 'LOC-88d1 behind the sports hall',
    safeguardingNote: 'SAFE-a9e0 disclosed bruising at home',
    interventionTitle: 'TITLE-3b7e anger work',
    targetDescription: 'TARGET-c41d stays calm at lunch',
    sessionNote: 'SESSION-6e2f cried about dad',
    endNote: 'END-0d9b moved to counselling',
    summaryForParents: 'SUMMARY-77aa apologised and agreed to help',
    restorativeNote: 'RNOTE-e5c3 still angry',
  };

  it('no pupil name, note or contact detail in any line logged at DEBUG through a whole flow, faults included', async () => {
    const pupilId = 'LOG1';
    const now = clock.now().toISOString();
    const contacts = [
      {
        contactId: 'C1',
        name: secrets.contactName,
        relationship: 'mother',
        parentalResponsibility: true,
        email: secrets.email,
        phone: secrets.phone,
        notify: true,
      },
      {
        contactId: 'C2',
        name: 'Ossian Brackenbury',
        relationship: 'father',
        parentalResponsibility: true,
        email: secrets.otherEmail,
        phone: secrets.otherPhone,
        notify: true,
      },
    ];
    const events = [
      {
        eventId: 'log-roster',
        type: 'pupil.upserted',
        occurredAt: now,
        pupilId,
        data: { firstName: secrets.pupilFirst, lastName: secrets.pupilLast, yearGroup: '5', contacts },
      },
      {
        eventId: 'log-force',
        type: 'incident.recorded',
        occurredAt: now,
        pupilId,
        data: {
          incidentId: 'I1',
          category: 'assault',
          severity: 4,
          location: secrets.location,
          notes: secrets.incidentNote,
          physicalIntervention: { used: true, technique: secrets.technique, durationMinutes: 3, injury: false },
          detention: { date: today(), minutes: 30 },
        },
      },
      {
        eventId: 'log-safeguarding',
        type: 'incident.recorded',
        occurredAt: now,
        pupilId,
        data: { incidentId: 'I2', category: 'welfare', severity: 5, safeguardingConcern: true, notes: secrets.safeguardingNote },
      },
      {
        eventId: 'log-int-start',
        type: 'intervention.started',
        occurredAt: now,
        pupilId,
        data: {
          interventionId: 'INT1',
          kind: 'anger_management',
          title: secrets.interventionTitle,
          staffId: 'S1',
          startDate: today(),
          targets: [{ targetId: 'T1', area: 'behavioural', description: secrets.targetDescription, baseline: 2, goal: 7 }],
        },
      },
      {
        eventId: 'log-int-session',
        type: 'intervention.session.recorded',
        occurredAt: now,
        pupilId,
        data: { interventionId: 'INT1', sessionId: 'SES1', date: today(), durationMinutes: 30, attended: true, notes: secrets.sessionNote },
      },
      {
        eventId: 'log-int-end',
        type: 'intervention.ended',
        occurredAt: now,
        pupilId,
        data: { interventionId: 'INT1', endDate: today(), outcome: 'achieved', notes: secrets.endNote },
      },
      {
        eventId: 'log-restorative',
        type: 'restorative.session.recorded',
        occurredAt: now,
        data: {
          sessionId: 'RS1',
          date: today(),
          format: 'conversation',
          participants: [
            { pupilId, role: 'responsible' },
            { staffId: 'S1', role: 'facilitator' },
          ],
          summaryForParents: secrets.summaryForParents,
          notes: secrets.restorativeNote,
        },
      },
      { ...mark('log-absent', pupilId, 'N'), occurredAt: now, data: { date: today(), session: 'AM', code: 'N' } },
    ];
    const capture = captureLogs({ level: 'DEBUG' });
    try {
      expect((await stack.post('oak', oak, { events: events.slice(0, 1) })).status).toBe(200);
      await stack.flush();
      mail.plan = { failFirstPerRecipient: 1, alwaysFail: new Set([secrets.otherEmail]) };
      // A storage failure mid-batch: 503, then the retry.
      storage.plan = { throttleEvery: 3, maxFaults: storage.faults + 1 };
      expect((await stack.post('oak', oak, { events: events.slice(1) })).status).toBe(503);
      storage.plan = {};
      expect((await stack.post('oak', oak, { events: events.slice(1) })).status).toBe(200);
      // Rejected events carrying names and notes in the wrong places: 207 and 422.
      const wrong = [
        {
          eventId: 'log-bad-1',
          type: 'incident.recorded',
          occurredAt: now,
          pupilId,
          data: { incidentId: 'I3', category: secrets.pupilFirst, severity: `${secrets.pupilFirst} ${secrets.pupilLast}`, notes: secrets.incidentNote },
        },
        {
          eventId: `${secrets.pupilFirst}${secrets.pupilLast}`,
          type: 'pupil.upserted',
          occurredAt: now,
          pupilId,
          data: { firstName: secrets.pupilFirst, lastName: secrets.pupilLast, yearGroup: 'Y5', contacts: [{ ...contacts[0], email: secrets.phone }] },
        },
      ];
      expect((await stack.post('oak', oak, { events: [...wrong, mark('log-ok', pupilId)] })).status).toBe(207);
      expect((await stack.post('oak', oak, { events: wrong })).status).toBe(422);
      await stack.flush();
      mail.plan = {};
      // The weekly rollup and the subject access export read everything back.
      await stack.invoke('rollup-school', {
        version: '0',
        id: 'log-rollup',
        'detail-type': 'rollup.requested',
        source: rollupSource,
        account: '0',
        time: now,
        region: 'local',
        resources: [],
        detail: { schoolId: 'oak', week: isoWeekOf(today()), sendEmail: true },
      });
      await stack.flush();
      const exported = pupilExport('oak', pupilId, await records('oak', pupilId), clock.now());
      expect(exported.pupil).toMatchObject({ firstName: secrets.pupilFirst });
    } finally {
      capture.restore();
      mail.plan = {};
    }
    const lines = capture.lines();
    const messages = [...new Set(lines.map((line) => line.match(/"message":"([^"]*)"/)?.[1] ?? line.slice(0, 60)))];
    // The capture works: the handlers' structured lines are there, DEBUG included if anyone logs at it.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((line) => line.includes('"webhook answered"'))).toBe(true);
    expect(lines.some((line) => line.includes('"webhook failed"'))).toBe(true);
    const leaks = Object.entries(secrets).flatMap(([what, value]) => capture.linesContaining(value).map((line) => `${what}: ${line.slice(0, 300)}`));
    // The eventId that spells the pupil's name is the sender's mistake, echoed to the sender only.
    expect(leaks).toEqual([]);
    console.info(
      '[figures] log capture',
      JSON.stringify({
        lines: lines.length,
        bytes: capture.text().length,
        searched: Object.keys(secrets).length,
        mailFailures: mail.failures.length,
        storageFaults: storage.faults,
        messages,
      }),
    );
  });
});
