import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailPacing } from '../../infra/functions';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { attendanceMarkKey, journalKey, notificationWeekSortPrefix, weekPartition } from '../../shared/domain/keys';
import { table } from '../../shared/domain/table';
import { pupilExport } from '../../shared/services/pupil-export';
import { attendanceMark, contact, incident, interventionStarted, pupil, restorativeSession } from '../support/events';
import { RecipientMailFaults } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Contract section 4 end to end: signed webhook → DynamoDB Local → stream → local bus (the
 * same rule patterns as EventBridge) → notify-parents / alert-dsl → outbox, read over HTTP.
 */
const clock = { now: () => new Date('2026-11-23T09:00:00Z') }; // Monday, 09:00 in London
const today = '2026-11-23';

/** Mail faults by recipient address, set as a test goes. */
const mail = new RecipientMailFaults();

// Planted in every event: none of it may reach any email.
const NOTE = 'NOTE-never-send-4b1d';
const STAFF = 'STAFF-Grey-42';

let stack: TestStack;
let oak: string; // has a DSL
let elm: string; // has no DSL

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapMailer: mail.wrap });
  oak = await stack.addSchool({ schoolId: 'oak', name: 'Oak Primary', dslEmail: 'dsl@oak.example.org' });
  elm = await stack.addSchool({ schoolId: 'elm', name: 'Elm Academy', leaders: ['head@elm.example.org', 'deputy@elm.example.org'] });
});
afterAll(() => stack?.cleanup());

const parentOf = contact;

async function post(schoolId: string, events: unknown[]) {
  const secret = schoolId === 'oak' ? oak : elm;
  const response = await stack.post(schoolId, secret, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.flush();
  return response.body.results as { eventId: string; status: string }[];
}
const mailTo = async (address: string) => (await stack.outbox()).filter((entry) => entry.to.includes(address));
const decisionsOf = async (schoolId: string, pupilId: string) => (await readPupilRecords(stack.adapters.table, schoolId, pupilId, today)).notifications;
const deadLetters = (rule: string): Promise<{ detail: { eventId: string } }[]> => stack.deadLetters(rule);
const summarise = (decisions: Record<string, unknown>[]) =>
  decisions
    .map((decision) => [(decision.recipient as { contactId: string }).contactId, decision.status, decision.reason ?? null])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('who is told', () => {
  it('only contacts with parental responsibility, notify true and an email; notifyFor limits all but force', async () => {
    const contacts = [
      parentOf('C1', 'mum.elig@example.org'),
      parentOf('C2', 'dad.elig@example.org', { parentalResponsibility: false, relationship: 'stepfather' }),
      parentOf('C3', 'gran.elig@example.org', { notify: false, relationship: 'grandmother' }),
      parentOf('C4', undefined, { relationship: 'father' }),
      parentOf('C5', 'aunt.elig@example.org', { relationship: 'aunt', notifyFor: ['absence'] }),
    ];
    const detention = incident({ pupilId: 'P-ELIG', data: { detention: { date: '2026-11-24', minutes: 30 }, notes: NOTE } });
    await post('oak', [pupil({ pupilId: 'P-ELIG', data: { contacts } })]);
    await post('oak', [detention]);

    expect(await mailTo('mum.elig@example.org')).toHaveLength(1);
    for (const address of ['dad.elig@example.org', 'gran.elig@example.org', 'aunt.elig@example.org']) expect(await mailTo(address)).toHaveLength(0);
    const [message] = await mailTo('mum.elig@example.org');
    expect(message!.subject).toBe('Oak Primary: detention for Alex');
    expect(message!.text).toContain('Tuesday 24 November 2026');
    expect(message!.text).toContain('please contact Oak Primary');
    expect(summarise((await decisionsOf('oak', 'P-ELIG')).filter((decision) => decision.eventId === detention.eventId))).toEqual([
      ['C1', 'sent', null],
      ['C2', 'suppressed', 'no-parental-responsibility'],
      ['C3', 'suppressed', 'notify-false'],
      ['C4', 'suppressed', 'no-email'],
      ['C5', 'suppressed', 'opted-out:detention'],
    ]);

    // Reasonable force is statutory: notifyFor does not stop it; notify false still does.
    const force = incident({ pupilId: 'P-ELIG', data: { physicalIntervention: { used: true, technique: `by ${STAFF}`, injury: false }, notes: NOTE } });
    await post('oak', [force]);
    expect(await mailTo('mum.elig@example.org')).toHaveLength(2);
    expect(await mailTo('aunt.elig@example.org')).toEqual([expect.objectContaining({ subject: 'Oak Primary: reasonable force was used with Alex' })]);
    expect(await mailTo('gran.elig@example.org')).toHaveLength(0);
  });

  it('every notifying kind reaches the parents, and nothing else does', async () => {
    const contacts = [parentOf('K1', 'parent.kinds@example.org')];
    const otherContacts = [parentOf('K2', 'parent.other@example.org')];
    const started = interventionStarted({ pupilId: 'P-KINDS', data: { title: `Mentoring with ${STAFF}`, staffId: STAFF, groupPupilIds: ['P-KINDS-2'] } });
    const session = {
      eventId: 'kinds-session-1',
      type: 'intervention.session.recorded',
      occurredAt: '2026-11-23T10:00:00Z',
      pupilId: 'P-KINDS',
      data: { interventionId: 'INT1', sessionId: 'S1', date: today, durationMinutes: 30, attended: true, notes: NOTE },
    };
    const ended = {
      eventId: 'kinds-ended-1',
      type: 'intervention.ended',
      occurredAt: '2026-11-23T11:00:00Z',
      pupilId: 'P-KINDS',
      data: { interventionId: 'INT1', endDate: today, outcome: 'achieved', notes: NOTE },
    };
    const participants = [
      { pupilId: 'P-KINDS', role: 'harmed' },
      { pupilId: 'P-KINDS-2', role: 'responsible' },
      { staffId: STAFF, role: 'facilitator' },
    ];
    const restorative = restorativeSession({
      data: { participants, summaryForParents: 'Alex and Jordan Smith talked it through and agreed to sit apart.', notes: NOTE },
    });
    const restorativeNoSummary = restorativeSession({ data: { participants, notes: NOTE } });
    const minor = incident({ pupilId: 'P-KINDS', data: { category: 'uniform', notes: NOTE } });
    await post('oak', [
      pupil({ pupilId: 'P-KINDS', data: { contacts } }),
      pupil({ pupilId: 'P-KINDS-2', data: { firstName: 'Jordan', lastName: 'Smith', contacts: otherContacts } }),
    ]);
    await post('oak', [started]);
    await post('oak', [session, ended, restorative, restorativeNoSummary, minor]);

    expect((await mailTo('parent.kinds@example.org')).map((entry) => entry.subject).sort()).toEqual([
      "Oak Primary: Alex's support programme has ended",
      'Oak Primary: extra support for Alex',
      'Oak Primary: restorative meeting with Alex',
    ]);
    // The other pupil's parents hear about the restorative session only, about their own child.
    const toOther = await mailTo('parent.other@example.org');
    expect(toOther.map((entry) => entry.subject)).toEqual(['Oak Primary: restorative meeting with Jordan']);
    const toAlexs = (await mailTo('parent.kinds@example.org')).find((entry) => entry.subject.includes('restorative'))!;
    expect(toAlexs.text).toContain('Alex and another pupil talked it through');
    for (const entry of [...(await mailTo('parent.kinds@example.org')), ...toOther]) {
      for (const part of [entry.subject, entry.text, entry.html]) {
        expect(part).not.toContain(STAFF);
        expect(part).not.toContain('P-KINDS');
      }
    }
    expect(toOther[0]!.text).not.toMatch(/Alex|Taylor/);
    expect((await mailTo('parent.kinds@example.org')).find((entry) => entry.subject.includes('ended'))!.text).toContain(
      'One-to-one mentoring for Alex Taylor finished',
    );

    const reasons = (await decisionsOf('oak', 'P-KINDS')).map((decision) => [decision.eventId, decision.status, decision.reason ?? null]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        [restorativeNoSummary.eventId, 'suppressed', 'no-summary-for-parents'],
        [minor.eventId, 'suppressed', 'not-notifiable'],
      ]),
    );
    // The intervention session is not routed to notify-parents at all.
    expect(reasons.some(([eventId]) => eventId === session.eventId)).toBe(false);
  });

  it('a pupil not on the roster: one decision, recipient none, no-contacts', async () => {
    const detention = incident({ pupilId: 'P-NOBODY', data: { detention: { date: today, minutes: 20 } } });
    await post('oak', [detention]);
    expect(summarise(await decisionsOf('oak', 'P-NOBODY'))).toEqual([['none', 'suppressed', 'no-contacts']]);
  });
});

describe('exactly once', () => {
  it('a replayed batch, and duplicate bus deliveries, send nothing new', async () => {
    const contacts = [parentOf('R1', 'mum.replay@example.org'), parentOf('R2', 'dad.replay@example.org', { relationship: 'father' })];
    const force = incident({ pupilId: 'P-REPLAY', data: { physicalIntervention: { used: true, injury: true }, notes: NOTE } });
    const batch = [pupil({ pupilId: 'P-REPLAY', data: { contacts } }), force];
    await post('oak', [batch[0]]);
    await post('oak', [force]);
    expect(await mailTo('mum.replay@example.org')).toHaveLength(1);
    const before = await decisionsOf('oak', 'P-REPLAY');
    expect(summarise(before)).toEqual([
      ['R1', 'sent', null],
      ['R2', 'sent', null],
    ]);

    // The MIS re-sends the batch: duplicates, nothing reaches the bus again.
    expect((await post('oak', batch)).map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    // The bus delivers the same event again, five times at once (at-least-once delivery).
    const again = await stack.redeliveryOf(journalKey('oak', force.eventId));
    await Promise.all(Array.from({ length: 5 }, () => stack.invoke('notify-parents', again)));
    await stack.flush();

    expect(await mailTo('mum.replay@example.org')).toHaveLength(1);
    expect(await mailTo('dad.replay@example.org')).toHaveLength(1);
    expect(await decisionsOf('oak', 'P-REPLAY')).toEqual(before);
  });

  it('a failed send is retried by the platform and sent once; the contact already told is not told again', async () => {
    const contacts = [parentOf('F1', 'mum.retry@example.org'), parentOf('F2', 'dad.retry@example.org', { relationship: 'father' })];
    mail.failNext.set('dad.retry@example.org', 1);
    const detention = incident({ pupilId: 'P-RETRY', data: { detention: { date: today, minutes: 20 } } });
    await post('oak', [pupil({ pupilId: 'P-RETRY', data: { contacts } })]);
    await post('oak', [detention]);

    expect(mail.attempts.get('dad.retry@example.org')).toBe(2);
    expect(mail.attempts.get('mum.retry@example.org')).toBe(1);
    expect(await mailTo('dad.retry@example.org')).toHaveLength(1);
    expect(await mailTo('mum.retry@example.org')).toHaveLength(1);
    const decisions = await decisionsOf('oak', 'P-RETRY');
    expect(summarise(decisions)).toEqual([
      ['F1', 'sent', null],
      ['F2', 'sent', null],
    ]);
    expect(decisions.every((decision) => typeof decision.messageId === 'string' && decision.sentAt)).toBe(true);
    expect((await deadLetters('parentNotifications')).some((entry) => entry.detail.eventId === detention.eventId)).toBe(false);
  });

  it("a send that keeps failing ends in the dead-letter file after the pacing queue's receive count, never silently dropped; a redrive sends once", async () => {
    mail.failAlways.add('mum.dlq@example.org');
    const detention = incident({ pupilId: 'P-DLQ', data: { detention: { date: today, minutes: 20 } } });
    await post('oak', [pupil({ pupilId: 'P-DLQ', data: { contacts: [parentOf('D1', 'mum.dlq@example.org')] } })]);
    await post('oak', [detention]);

    expect(mail.attempts.get('mum.dlq@example.org')).toBe(mailPacing.maxReceiveCount);
    expect(await mailTo('mum.dlq@example.org')).toHaveLength(0);
    const dead = (await deadLetters('parentNotifications')).filter((entry) => entry.detail.eventId === detention.eventId);
    expect(dead).toHaveLength(1);
    expect(summarise(await decisionsOf('oak', 'P-DLQ'))).toEqual([['D1', 'retryable', null]]);

    // Once SES is back, re-driving the dead letter sends exactly one message.
    mail.failAlways.delete('mum.dlq@example.org');
    await stack.invoke('notify-parents', dead[0]);
    await stack.invoke('notify-parents', dead[0]);
    expect(await mailTo('mum.dlq@example.org')).toHaveLength(1);
    expect(summarise(await decisionsOf('oak', 'P-DLQ'))).toEqual([['D1', 'sent', null]]);
  });

  it('a permanent rejection is recorded as rejected and not retried', async () => {
    mail.reject.add('bounced@example.org');
    const detention = incident({ pupilId: 'P-REJ', data: { detention: { date: today, minutes: 20 } } });
    await post('oak', [pupil({ pupilId: 'P-REJ', data: { contacts: [parentOf('J1', 'bounced@example.org')] } })]);
    await post('oak', [detention]);
    expect(mail.attempts.get('bounced@example.org')).toBe(1);
    expect(await decisionsOf('oak', 'P-REJ')).toEqual([
      expect.objectContaining({ status: 'rejected', reason: 'mail-rejected', errorName: 'PermanentMailError' }),
    ]);
    expect((await deadLetters('parentNotifications')).some((entry) => entry.detail.eventId === detention.eventId)).toBe(false);
  });
});

describe('first-day absence', () => {
  it('one message per pupil per day for N, O or U marked today; none for earlier dates', async () => {
    await post('oak', [pupil({ pupilId: 'P-ABS', data: { contacts: [parentOf('A1', 'mum.absent@example.org')] } })]);
    const am = attendanceMark({ pupilId: 'P-ABS', code: 'N', session: 'AM', date: today, occurredAt: '2026-11-23T08:50:00Z' });
    const pm = attendanceMark({ pupilId: 'P-ABS', code: 'U', session: 'PM', date: today, occurredAt: '2026-11-23T13:20:00Z' });
    await post('oak', [am]);
    await post('oak', [pm]);
    const earlier = attendanceMark({ pupilId: 'P-ABS', code: 'O', session: 'AM', date: '2026-11-20', occurredAt: '2026-11-23T08:55:00Z' });
    const present = attendanceMark({ pupilId: 'P-ABS', code: '/', session: 'AM', date: '2026-11-19' });
    await post('oak', [earlier, present]);

    const messages = await mailTo('mum.absent@example.org');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.subject).toBe('Oak Primary: Alex is absent today');
    expect(messages[0]!.text).toContain('Monday 23 November 2026');
    const decisions = await decisionsOf('oak', 'P-ABS');
    expect(decisions.map((decision) => [decision.eventId, decision.dedupKey, decision.status, decision.reason ?? null])).toEqual(
      expect.arrayContaining([
        [am.eventId, `absence#${today}`, 'sent', null],
        [pm.eventId, pm.eventId, 'suppressed', 'already-notified-today'],
        [earlier.eventId, earlier.eventId, 'suppressed', 'past-date'],
      ]),
    );
    // A present mark never reaches notify-parents.
    expect(decisions.some((decision) => decision.eventId === present.eventId)).toBe(false);
    expect(decisions).toHaveLength(3);
  });

  it('a mark corrected before the notification is processed notifies no one', async () => {
    await post('oak', [pupil({ pupilId: 'P-CORR', data: { contacts: [parentOf('A2', 'mum.corrected@example.org')] } })]);
    await post('oak', [attendanceMark({ pupilId: 'P-CORR', code: 'L', minutesLate: 5, date: today })]);
    // The bus delivers the earlier N mark's event only now, after the correction was stored.
    const late = await stack.redeliveryOf(attendanceMarkKey('oak', '2026-W48', 'P-CORR', today, 'AM'), { eventId: 'corr-n-1', attendanceCode: 'N' });
    await stack.invoke('notify-parents', late);
    expect(await mailTo('mum.corrected@example.org')).toHaveLength(0);
    expect(summarise(await decisionsOf('oak', 'P-CORR'))).toEqual([['none', 'suppressed', 'absence-corrected']]);
  });
});

describe('safeguarding', () => {
  it('goes to the DSL only, once, without notes', async () => {
    const concern = incident({
      pupilId: 'P-SG',
      data: {
        incidentId: 'INC-SG-1',
        category: 'disclosure',
        severity: 5,
        safeguardingConcern: true,
        physicalIntervention: { used: true, injury: false },
        notes: NOTE,
      },
    });
    await post('oak', [pupil({ pupilId: 'P-SG', data: { contacts: [parentOf('S1', 'mum.sg@example.org')] } })]);
    await post('oak', [concern]);
    await stack.invoke('alert-dsl', await stack.redeliveryOf(journalKey('oak', concern.eventId)));

    expect(await mailTo('mum.sg@example.org')).toHaveLength(0);
    const alerts = await mailTo('dsl@oak.example.org');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('Alex Taylor (pupil id P-SG)');
    expect(alerts[0]!.text).toContain('Incident: INC-SG-1');
    expect(alerts[0]!.text).toContain('see the MIS');
    expect(summarise(await decisionsOf('oak', 'P-SG'))).toEqual([['dsl', 'sent', null]]);
    expect((await decisionsOf('oak', 'P-SG'))[0]).toMatchObject({ kind: 'dsl-alert', category: 'dsl-alert' });
  });

  it("goes to the school's leaders when no DSL is configured", async () => {
    const concern = incident({ pupilId: 'P-SG2', data: { safeguardingConcern: true, notes: NOTE } });
    await post('elm', [pupil({ pupilId: 'P-SG2', data: { contacts: [parentOf('S2', 'mum.sg2@example.org')] } })]);
    await post('elm', [concern]);
    const alerts = (await stack.outbox()).filter((entry) => entry.subject.includes('Elm Academy') && entry.subject.includes('P-SG2'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.to).toEqual(['head@elm.example.org', 'deputy@elm.example.org']);
    expect(alerts[0]!.text).toContain('no designated safeguarding lead (DSL) email is configured');
    expect(await mailTo('mum.sg2@example.org')).toHaveLength(0);
    expect(await decisionsOf('elm', 'P-SG2')).toEqual([
      expect.objectContaining({ status: 'sent', reason: 'no-dsl-configured', recipient: expect.objectContaining({ contactId: 'leaders' }) }),
    ]);
  });
});

describe('audit', () => {
  it('the pupil export lists every decision: recipient, sent or suppressed, reason, when', async () => {
    const records = await readPupilRecords(stack.adapters.table, 'oak', 'P-ELIG', today);
    const exported = pupilExport('oak', 'P-ELIG', records, clock.now());
    expect(exported.notifications).toHaveLength(10); // 5 contacts × (detention, force)
    for (const decision of exported.notifications) {
      expect(decision).toEqual(
        expect.objectContaining({
          eventId: expect.any(String),
          kind: expect.any(String),
          status: expect.stringMatching(/^(sent|suppressed)$/),
          decidedAt: expect.any(String),
          recipient: expect.objectContaining({ contactId: expect.any(String) }),
        }),
      );
      expect(decision).not.toHaveProperty('pk');
      expect(decision).not.toHaveProperty('gsi2sk');
      if (decision.status === 'suppressed') expect(decision.reason).toEqual(expect.any(String));
      else expect(decision).toEqual(expect.objectContaining({ messageId: expect.any(String), sentAt: expect.any(String) }));
    }
  });

  it('the weekly rollup can count decisions from gsi2 by status, reason and kind', async () => {
    const { Items = [] } = await stack.adapters.table.client.send(
      new QueryCommand({
        TableName: stack.adapters.table.tableName,
        IndexName: table.indexes.byWeek.name,
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
        ExpressionAttributeValues: { ':pk': weekPartition('oak', '2026-W48'), ':prefix': notificationWeekSortPrefix },
      }),
    );
    const counts = (status: string, reason?: string) =>
      Items.filter((item) => item.status === status && (reason === undefined || item.reason === reason)).length;
    expect(Items.every((item) => item.recordKind === 'notification' && typeof item.kind === 'string')).toBe(true);
    expect(counts('sent')).toBeGreaterThanOrEqual(10);
    expect(counts('suppressed', 'opted-out:detention')).toBe(1);
    expect(counts('retryable')).toBe(0);
    // A decision counts in its event's week: the mark dated Friday 20 November is in W47.
    expect(counts('suppressed', 'past-date')).toBe(0);
    const { Items: previousWeek = [] } = await stack.adapters.table.client.send(
      new QueryCommand({
        TableName: stack.adapters.table.tableName,
        IndexName: table.indexes.byWeek.name,
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
        ExpressionAttributeValues: { ':pk': weekPartition('oak', '2026-W47'), ':prefix': notificationWeekSortPrefix },
      }),
    );
    expect(previousWeek).toEqual([expect.objectContaining({ status: 'suppressed', reason: 'past-date', kind: 'absence' })]);
  });

  it('no note, staff id or other pupil id appears in any email ever written (raw .eml and decoded)', async () => {
    const directory = join(stack.dataDir, 'outbox');
    const files = (await readdir(directory)).filter((name) => name.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const raw = await readFile(join(directory, file), 'utf8');
      expect(raw, file).not.toContain(NOTE);
      expect(raw, file).not.toContain(STAFF);
    }
    for (const entry of await stack.outbox()) {
      expect(`${entry.subject}${entry.text}${entry.html}`).not.toContain(NOTE);
      expect(`${entry.subject}${entry.text}${entry.html}`).not.toContain(STAFF);
    }
    // Nothing else was dead-lettered than the one persistent failure.
    expect(await deadLetters('parentNotifications')).toHaveLength(1);
    expect(await deadLetters('dslAlerts')).toHaveLength(0);
  });
});
