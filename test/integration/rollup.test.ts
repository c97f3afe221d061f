import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRollupStore, staleClaimMs } from '../../shared/adapters/aws/rollup-store';
import { rollupKey, notificationKey, weekPartition } from '../../shared/domain/keys';
import { rollWeek } from '../../shared/domain/rollup/roll-week';
import type { RollupFigures } from '../../shared/domain/rollup/types';
import type { OutboxEntry } from '../../shared/adapters/local/outbox';
import { startTestStack, type TestStack } from '../support/local-stack';
import { eventsFor, roster } from '../support/rollup-weeks';

/**
 * Issue 5 end to end: events through the signed webhook (HTTP) into DynamoDB Local, the
 * rollup invoked as `tracker rollup` invokes it (and once through the real CLI), the
 * leaders' email in the outbox, idempotent re-runs, and the trust summary sent once.
 *
 * Every expected number below is worked out by hand in the comments, here and in the events'
 * builder, test/support/rollup-weeks.ts (docs/rollups.md repeats the worked example).
 */
let stack: TestStack;
// Tuesday 1 December 2026: after both weeks, and not a Monday, so the minute scheduler
// never fires a rollup of its own while the test runs.
const clock = { now: () => new Date('2026-12-01T09:00:00Z') };
const trustLeader = 'ceo@trust.example.org';
const leaders = { oak: ['head@oak.example.org', 'deputy@oak.example.org'], elm: ['head@elm.example.org'] };
const secrets: Record<string, string> = {};

const rollupEvent = (schoolId: string, week: string) => ({
  source: 'tracker.rollups',
  'detail-type': 'rollup.requested',
  detail: { schoolId, week, sendEmail: true },
});
const rollup = (schoolId: string, week: string) => stack.invoke('rollup-school', rollupEvent(schoolId, week)) as Promise<RollupFigures>;
const storedItem = async (schoolId: string, week: string) =>
  (await stack.adapters.table.client.send(new GetCommand({ TableName: stack.adapters.table.tableName, Key: rollupKey(schoolId, week), ConsistentRead: true })))
    .Item!;
const mailTo = (entries: OutboxEntry[], address: string) => entries.filter((entry) => entry.to.includes(address));

/** Notification decisions as the notifier stores them (recordKind notification, gsi2 notification#…). */
async function putDecision(schoolId: string, n: number, status: string, reason?: string) {
  const decidedAt = `2026-11-24T10:0${n}:00.000Z`;
  await stack.adapters.table.client.send(
    new PutCommand({
      TableName: stack.adapters.table.tableName,
      Item: {
        ...notificationKey(schoolId, 'P1', `rollup-test-${n}`, 'C1'),
        recordKind: 'notification',
        schoolId,
        pupilId: 'P1',
        kind: 'force',
        status,
        ...(reason ? { reason } : {}),
        week: '2026-W48',
        gsi2pk: weekPartition(schoolId, '2026-W48'),
        gsi2sk: `notification#${decidedAt}#rollup-test-${n}#C1`,
      },
    }),
  );
}

beforeAll(async () => {
  stack = await startTestStack({ clock, settings: { trustLeaders: [trustLeader], trustName: 'Oak Valley Trust' } });
  for (const school of ['oak', 'elm'] as const) {
    secrets[school] = await stack.addSchool({ schoolId: school, name: school === 'oak' ? 'Oak Primary School' : 'Elm Academy', leaders: leaders[school] });
    const response = await stack.post(school, secrets[school]!, { events: eventsFor(school) });
    expect(response.status).toBe(200);
    await putDecision(school, 1, 'sent');
    await putDecision(school, 2, 'suppressed', 'rollup-test-reason');
    await putDecision(school, 3, 'suppressed', 'rollup-test-reason');
  }
  await stack.flush();
});
afterAll(() => stack?.cleanup());

describe('tracker rollup: week 47 (first week: rebuilt from the academic year, nothing stored before)', () => {
  it("stores and returns the week's figures, exactly by the DfE codes", async () => {
    const figures = await rollup('oak', '2026-W47');
    // P1 10/10, P2 9/10, P3 5/10, P6 10/10; P4's ten D marks are not possible sessions.
    expect(figures.attendance).toMatchObject({
      possibleSessions: 40,
      absentSessions: 6,
      rate: 34 / 40,
      authorisedAbsentSessions: 5,
      unauthorisedAbsentSessions: 1,
      notCountedSessions: 10,
      persistentAbsentees: ['P2', 'P3'], // P2 at exactly 10%, P3 at 50%
      severeAbsentees: ['P3'], // exactly 50%
      newlyPersistentAbsentees: ['P2', 'P3'],
    });
    expect(figures.attendance.yearToDate).toMatchObject({ from: '2026-09-01', possibleSessions: 40, absentSessions: 6, pupils: 4 });
    expect(figures.incidents).toMatchObject({ total: 1, byCategory: { disruption: 1 } });
    expect(figures.restorative).toMatchObject({ sessions: 1, followUpsDue: 1, followUpsDueFrom: '2026-11-23', followUpsDueTo: '2026-11-29' });
    expect(figures.interventions).toMatchObject({
      active: 1,
      started: 1,
      sessions: { recorded: 1, attended: 1, meanEngagement: 3 },
      delivery: { interventions: 1, delivered: 1, planned: 6 },
    });
    expect((await storedItem('oak', '2026-W47')).foldedWeeks).toBe(11); // 2026-W36 … 2026-W46

    await stack.flush();
    const outbox = await stack.outbox();
    const [email, ...others] = mailTo(outbox, 'head@oak.example.org');
    expect(others).toHaveLength(0);
    expect(email!.to.sort()).toEqual([...leaders.oak].sort());
    expect(email!.subject).toBe('Weekly summary for Oak Primary School: week 47 (16–22 November 2026)');
    // Elm has no week-47 rollup, so no trust summary yet.
    expect(mailTo(outbox, trustLeader)).toHaveLength(0);
  });
});

describe("tracker rollup: week 48 (from week 47's stored state)", () => {
  let printed: RollupFigures;

  it('runs through the real CLI and prints the stored figures', async () => {
    const { stdout } = await promisify(execFile)('node', ['bin/tracker.mjs', 'rollup', '--school', 'oak', '--week', '2026-W48', '--json'], {
      env: { ...process.env, PORT: String(stack.port) },
    });
    printed = JSON.parse(stdout);
    await stack.flush();
    expect(printed).toMatchObject({ schoolId: 'oak', week: '2026-W48' });
    expect((await storedItem('oak', '2026-W48')).figures).toEqual(printed);
    expect((await storedItem('oak', '2026-W48')).foldedWeeks).toBe(0);
  });

  it('attendance: week and year to date', () => {
    // Possible: P1 10 + P2 10 + P3 10 + P4 10 (2 K) + P5 9 (X not counted) + P6 10 = 59.
    // Absent: P5 U U (unauthorised) + P6 N N (unauthorised) I I (authorised) = 6.
    expect(printed.attendance).toMatchObject({
      possibleSessions: 59,
      absentSessions: 6,
      rate: 53 / 59,
      presentSessions: 50,
      approvedOffSiteSessions: 3,
      authorisedAbsentSessions: 2,
      unauthorisedAbsentSessions: 4,
      notCountedSessions: 1,
      lateSessions: 1,
      // Year to date: P3 5/20 = 25%, P5 2/9 = 22%, P6 4/20 = 20%; P2 1/20 = 5% no longer.
      persistentAbsentees: ['P3', 'P5', 'P6'],
      severeAbsentees: [],
      newlyPersistentAbsentees: ['P5', 'P6'],
    });
    expect(printed.attendance.yearToDate).toEqual({
      from: '2026-09-01',
      to: '2026-11-29',
      possibleSessions: 99,
      absentSessions: 12,
      rate: 87 / 99,
      authorisedAbsentSessions: 7,
      unauthorisedAbsentSessions: 5,
      pupils: 6,
    });
  });

  it('interventions, restorative sessions, incidents, notifications', () => {
    expect(printed.interventions).toEqual({
      active: 1,
      pupilsSupported: 1,
      started: 1,
      ended: { total: 1, byOutcome: { achieved: 1, partially_achieved: 0, not_achieved: 0, withdrawn: 0 } },
      sessions: { recorded: 3, attended: 2, attendanceRate: 2 / 3, meanEngagement: 4.5 },
      delivery: { interventions: 2, delivered: 4, planned: 10 },
      // INT1 T1 2→5 of 8 (+3, half way), T2 6→4 of 2 (+2 toward, half way); INT2 T1 4→6 (+2, all the way).
      targets: { scored: 3, meanChange: 7 / 3, meanProgress: 2 / 3 },
    });
    expect(printed.restorative).toEqual({
      sessions: 2,
      byFormat: { conversation: 1, mini_conference: 0, circle: 1, conference: 0 },
      agreementRecorded: 2,
      agreementReached: 1,
      agreementRate: 0.5,
      followUpsDue: 1,
      followUpsDueFrom: '2026-11-30',
      followUpsDueTo: '2026-12-06',
    });
    expect(printed.incidents).toEqual({
      total: 3,
      byCategory: { disruption: 1, defiance: 1, 'physical aggression': 1 },
      bySeverity: { '1': 0, '2': 1, '3': 1, '4': 1, '5': 0 },
      reasonableForce: 1,
      reasonableForceWithInjury: 0,
      pupils: 2,
      previousWeekTotal: 1,
      change: 2,
    });
    // Decisions the notifier made for these events may add to the counts; ours are exact.
    expect(printed.notifications.suppressedByReason['rollup-test-reason']).toBe(2);
    expect(printed.notifications.sent).toBeGreaterThanOrEqual(1);
    expect(printed.previousWeek).toMatchObject({
      week: '2026-W47',
      possibleSessions: 40,
      absentSessions: 6,
      attendanceRate: 0.85,
      incidents: 1,
      persistentAbsentees: 2,
    });
  });

  it('pupils to look at: rising incidents, falling attendance, persistent absence without intervention', () => {
    expect(printed.pupilsToLookAt.map(({ pupilId, reasons }) => ({ pupilId, reasons }))).toEqual([
      { pupilId: 'P2', reasons: ['rising-incidents'] }, // 2 this week, 1 last week
      { pupilId: 'P5', reasons: ['persistent-absence-without-intervention'] },
      { pupilId: 'P6', reasons: ['falling-attendance', 'persistent-absence-without-intervention'] }, // 60% this week vs 100% before
    ]);
    // P3 is persistently absent but has an active intervention (INT1).
    expect(printed.pupilsToLookAt[0]).toEqual({
      pupilId: 'P2',
      reasons: ['rising-incidents'],
      incidentsThisWeek: 2,
      incidentsLastWeek: 1,
      weekRate: 1,
      rateBefore: 0.9,
      yearToDateRate: 0.95,
    });
    expect(printed.pupilsToLookAt[2]).toMatchObject({ weekRate: 0.6, rateBefore: 1, yearToDateRate: 0.8 });
  });

  it('emails the leaders one summary with names, charts and no staff notes', async () => {
    const emails = mailTo(await stack.outbox(), 'head@oak.example.org');
    expect(emails.map((email) => email.subject)).toEqual([
      'Weekly summary for Oak Primary School: week 47 (16–22 November 2026)',
      'Weekly summary for Oak Primary School: week 48 (23–29 November 2026)',
    ]);
    const email = emails[1]!;
    expect(email.to.sort()).toEqual([...leaders.oak].sort());
    for (const body of [email.html, email.text]) {
      expect(body).toContain('Week 48: Monday 23 – Sunday 29 November 2026');
      expect(body).toContain('Oliver Jones');
      expect(body).toContain('Ava Khan');
      expect(body).toContain('Noah Okafor');
      expect(body).not.toContain('STAFF-ONLY');
    }
    expect(email.html).toContain('89.8%');
    expect(email.html).not.toMatch(/<script|<svg/i);
    expect(JSON.stringify(printed)).not.toContain('STAFF-ONLY');
  });

  it('a re-run stores the same figures and sends nothing new', async () => {
    const before = await storedItem('oak', '2026-W48');
    const outboxBefore = await stack.outbox();
    const again = await rollup('oak', '2026-W48');
    await stack.flush();
    const after = await storedItem('oak', '2026-W48');
    expect(again).toEqual(printed);
    expect(after.figures).toEqual(before.figures);
    expect(after.emailSentAt).toBe(before.emailSentAt);
    expect(await stack.outbox()).toHaveLength(outboxBefore.length);
  });
});

describe("a gap: week 48 with no stored week 47 is rebuilt from the year's records", () => {
  it('gives the same figures as the week-by-week chain', async () => {
    const oak = await rollup('oak', '2026-W48');
    const elm = await rollup('elm', '2026-W48');
    expect((await storedItem('elm', '2026-W48')).foldedWeeks).toBe(12); // 2026-W36 … 2026-W47
    const comparable = ({ schoolId: _school, notifications: _notifications, previousWeek, ...rest }: RollupFigures) => ({
      ...rest,
      previousWeek: previousWeek && { ...previousWeek, notificationsSent: 0, notificationsSuppressed: 0 },
    });
    expect(comparable(elm)).toEqual(comparable(oak));
    expect(elm.schoolId).toBe('elm');
  });
});

describe('the trust summary', () => {
  it('is sent once, to the trust leaders, when every school is rolled up, and never names a pupil', async () => {
    await stack.flush();
    let trust = mailTo(await stack.outbox(), trustLeader);
    expect(trust).toHaveLength(1);
    const [email] = trust;
    expect(email!.to).toEqual([trustLeader]);
    expect(email!.subject).toBe('Oak Valley Trust weekly summary: week 48 (23–29 November 2026)');
    for (const body of [email!.html, email!.text]) {
      expect(body).toContain('Oak Primary School');
      expect(body).toContain('Elm Academy');
      expect(body).toContain('89.8%'); // each school: 53/59
      for (const [, firstName, lastName] of roster) {
        expect(body).not.toContain(firstName);
        expect(body).not.toContain(lastName);
      }
    }

    // More completions of the week (re-runs) send nothing more, to anyone.
    const count = (await stack.outbox()).length;
    await rollup('elm', '2026-W48');
    await rollup('oak', '2026-W48');
    await stack.flush();
    trust = mailTo(await stack.outbox(), trustLeader);
    expect(trust).toHaveLength(1);
    expect(await stack.outbox()).toHaveLength(count);
  });
});

describe('the send-once markers in DynamoDB', () => {
  const at = (ms: number) => new Date(clock.now().getTime() + ms);
  /** A school's week with nothing recorded: figures to save so there is a rollup to claim the email of. */
  const emptyWeek = (schoolId: string, week: string) =>
    rollWeek({ schoolId, week, base: undefined, records: { marks: [], interventions: [], restorative: [], incidents: [], notifications: [] } });

  it("the leaders' email: one claim at a time, a stale claim can be taken over, never after it was sent", async () => {
    const store = new DynamoRollupStore(stack.adapters.table);
    expect(await store.claimEmail('marker', '2026-W40', at(0))).toBe(false); // no rollup stored
    const { figures, state } = emptyWeek('marker', '2026-W40');
    await store.save({ schoolId: 'marker', week: '2026-W40', figures, state, runAt: at(0).toISOString(), foldedWeeks: 0 });
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimEmail('marker', '2026-W40', at(0))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimEmail('marker', '2026-W40', at(staleClaimMs - 1000))).toBe(false);
    expect(await store.claimEmail('marker', '2026-W40', at(staleClaimMs + 1000))).toBe(true); // the first run died
    await store.markEmailSent('marker', '2026-W40', { messageId: 'm1', sentAt: at(0).toISOString(), recipients: 1 });
    await store.releaseEmail('marker', '2026-W40'); // too late: it was sent
    expect(await store.claimEmail('marker', '2026-W40', at(24 * 3600 * 1000))).toBe(false);
    // A re-run's save keeps the marker.
    await store.save({ schoolId: 'marker', week: '2026-W40', figures, state, runAt: at(1).toISOString(), foldedWeeks: 0 });
    expect(await storedItem('marker', '2026-W40')).toMatchObject({
      emailSentAt: at(0).toISOString(),
      firstRunAt: at(0).toISOString(),
      lastRunAt: at(1).toISOString(),
    });
    expect(await store.latestState('marker', '2026-W30', '2026-W45')).toEqual(state);
    expect(await store.latestState('marker', '2026-W41', '2026-W45')).toBeUndefined();
  });

  it('a send SES refused for good is never claimed again, however much later a run comes (issue 10)', async () => {
    const store = new DynamoRollupStore(stack.adapters.table);
    const { figures, state } = emptyWeek('refused', '2026-W41');
    await store.save({ schoolId: 'refused', week: '2026-W41', figures, state, runAt: at(0).toISOString(), foldedWeeks: 0 });
    expect(await store.claimEmail('refused', '2026-W41', at(0))).toBe(true);
    await store.markEmailFailed('refused', '2026-W41', { errorName: 'PermanentMailError', failedAt: at(0).toISOString() });
    expect(await store.claimEmail('refused', '2026-W41', at(staleClaimMs + 1000))).toBe(false);
    expect(await store.claimTrustSummary('2026-W41', at(0))).toBe(true);
    await store.markTrustSummaryFailed('2026-W41', { errorName: 'PermanentMailError', failedAt: at(0).toISOString() });
    expect(await store.claimTrustSummary('2026-W41', at(staleClaimMs + 1000))).toBe(false);
  });

  it('the trust summary: claimed once, released only if not sent', async () => {
    const store = new DynamoRollupStore(stack.adapters.table);
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimTrustSummary('2026-W40', at(0))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await store.releaseTrustSummary('2026-W40');
    expect(await store.claimTrustSummary('2026-W40', at(0))).toBe(true);
    expect(await store.claimTrustSummary('2026-W40', at(staleClaimMs + 1000))).toBe(true);
    await store.markTrustSummarySent('2026-W40', { messageId: 'm', sentAt: at(0).toISOString(), schools: 2 });
    await store.releaseTrustSummary('2026-W40');
    expect(await store.claimTrustSummary('2026-W40', at(24 * 3600 * 1000))).toBe(false);
  });
});
