import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { PermanentMailError, type MailMessage, type Mailer } from '../../shared/ports';
import { pupilExport } from '../../shared/services/pupil-export';
import { contact, pupil, restrictiveIntervention } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Contract section 7 end to end over HTTP: signed webhook → DynamoDB Local → stream → the
 * local bus (events/rules.ts) → notify-parents → outbox; the decisions in the pupil export.
 */
const clock = { now: () => new Date('2026-12-01T09:00:00Z') }; // Tuesday, 09:00 in London
const today = '2026-12-01';

// Planted in every record: none of it may reach a parent.
const NOTE = 'NOTE-never-send-77c1';
const STAFF = ['STAFF-Grey-42', 'STAFF-Amis-07'];
const OTHER = { pupilId: 'P-OTHER-9', firstName: 'Jordan', lastName: 'Blakewell' };

let stack: TestStack;
const secrets: Record<string, string> = {};

/** Addresses the mail service refuses for good (SES MessageRejected). */
const refused = new Set(['bounce.rj@example.org']);
const wrapMailer = (inner: Mailer): Mailer => ({
  async send(message: MailMessage) {
    if (message.to.some((to) => refused.has(to))) throw new PermanentMailError('MessageRejected');
    return inner.send(message);
  },
});

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapMailer });
  secrets.oak = await stack.addSchool({ schoolId: 'oak', name: 'Oak Primary', dslEmail: 'dsl@oak.example.org' });
  secrets.elm = await stack.addSchool({ schoolId: 'elm', name: 'Elm Academy', leaders: ['head@elm.example.org'] });
});
afterAll(() => stack?.cleanup());

async function post(schoolId: string, events: unknown[], status = 200) {
  const response = await stack.post(schoolId, secrets[schoolId]!, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  await stack.flush();
  return response.body.results as { eventId: string; status: string; errors?: { path: string; message: string }[] }[];
}
const mailTo = async (address: string) => (await stack.outbox()).filter((entry) => entry.to.includes(address));
const exportOf = async (schoolId: string, pupilId: string) =>
  pupilExport(schoolId, pupilId, await readPupilRecords(stack.adapters.table, schoolId, pupilId, today), clock.now());
const summarise = (decisions: Record<string, unknown>[]) =>
  decisions
    .map((decision) => [(decision.recipient as { contactId: string }).contactId, decision.kind, decision.status, decision.reason ?? null])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** A record naming staff, another pupil and notes everywhere it can. */
const planted = (pupilId: string, data: Record<string, unknown> = {}) =>
  restrictiveIntervention({
    pupilId,
    occurredAt: '2026-12-01T08:55:00Z',
    data: {
      startedAt: '2026-12-01T08:40:00Z',
      staffIds: STAFF,
      otherPupilIds: [OTHER.pupilId],
      antecedents: `ANTECEDENT-secret: pushed by ${OTHER.firstName} in the line`,
      deEscalation: `${STAFF[0]} spoke calmly and offered the calm room; ${OTHER.firstName} ${OTHER.lastName} was moved away`,
      reason: `To stop a punch at ${OTHER.pupilId}: an immediate risk of injury`,
      supportAfter: `Quiet time with ${STAFF[1]}, then back to class`,
      injuries: { pupil: false, staff: true, description: `${STAFF[0]} had a scratch on the hand` },
      notes: NOTE,
      ...data,
    },
  });

function expectNothingPlanted(text: string) {
  for (const secret of [NOTE, ...STAFF, OTHER.pupilId, OTHER.firstName, OTHER.lastName, 'ANTECEDENT-secret']) expect(text).not.toContain(secret);
}

describe('"send": the statutory report to parents', () => {
  it('goes the same day to every contact with parental responsibility, notify and an email; notifyFor does not apply', async () => {
    await post('oak', [
      pupil({ pupilId: OTHER.pupilId, data: { firstName: OTHER.firstName, lastName: OTHER.lastName, contacts: [] } }),
      pupil({
        pupilId: 'P-SEND',
        data: {
          firstName: 'Robin',
          lastName: 'Hart',
          contacts: [
            contact('C1', 'mum.send@example.org', { notifyFor: ['absence'] }),
            contact('C2', 'dad.send@example.org', { relationship: 'father' }),
            contact('C3', 'gran.send@example.org', { parentalResponsibility: false, relationship: 'grandmother' }),
            contact('C4', 'step.send@example.org', { notify: false, relationship: 'stepfather' }),
            contact('C5', undefined, { relationship: 'carer' }),
          ],
        },
      }),
    ]);
    const record = planted('P-SEND');
    expect((await post('oak', [record]))[0]!.status).toBe('accepted');

    const mum = await mailTo('mum.send@example.org');
    const dad = await mailTo('dad.send@example.org');
    expect(mum).toHaveLength(1);
    expect(dad).toHaveLength(1);
    for (const address of ['gran.send@example.org', 'step.send@example.org', 'dsl@oak.example.org']) expect(await mailTo(address)).toHaveLength(0);

    const [email] = mum;
    expect(email!.subject).toBe('Oak Primary: a report about Robin (restraint)');
    for (const part of [email!.text, email!.html, email!.subject]) expectNothingPlanted(part);
    for (const line of [
      'When: Tuesday 1 December 2026 at 08:40',
      'Where: Corridor outside the science block',
      'How long: 4 minutes',
      'Why it was needed: To stop a punch at another pupil',
      'What we tried first: a member of staff spoke calmly',
      'Injuries: Robin was not hurt. A member of staff was also hurt.',
      'Support afterwards: Quiet time with a member of staff',
    ]) {
      expect(email!.text).toContain(line);
    }
    expect(email!.html).toContain('<h1');

    const decisions = (await exportOf('oak', 'P-SEND')).restrictiveInterventions[0]!.reportDecisions;
    expect(summarise(decisions)).toEqual([
      ['C1', 'restrictive-report', 'sent', null],
      ['C2', 'restrictive-report', 'sent', null],
      ['C3', 'restrictive-report', 'suppressed', 'no-parental-responsibility'],
      ['C4', 'restrictive-report', 'suppressed', 'notify-false'],
      ['C5', 'restrictive-report', 'suppressed', 'no-email'],
    ]);
    // Same day: decided and sent on the day it happened, in the school's timezone.
    for (const decision of decisions.filter((one) => one.status === 'sent')) expect(String(decision.sentAt).slice(0, 10)).toBe(today);

    // Sent again: a duplicate, and nobody is told twice.
    expect((await post('oak', [record]))[0]!.status).toBe('duplicate');
    expect(await mailTo('mum.send@example.org')).toHaveLength(1);
  });

  it('rejects a record missing a required field, each by its path, and tells no one', async () => {
    const incomplete = restrictiveIntervention({ pupilId: 'P-SEND' });
    const data = incomplete.data as Record<string, unknown>;
    delete data.deEscalation;
    delete data.reason;
    data.parentReport = { withhold: true };
    const [result] = await post('oak', [incomplete], 422);
    expect(result!.errors!.map((error) => error.path)).toEqual(['data.deEscalation', 'data.reason', 'data.parentReport.reason']);
    expect(await mailTo('mum.send@example.org')).toHaveLength(1);
  });
});

describe('withheld (risk of significant harm)', () => {
  it('sends nothing to any parent, alerts the DSL with the reason, and records the decision', async () => {
    await post('oak', [
      pupil({
        pupilId: 'P-WH',
        data: { firstName: 'Sky', lastName: 'Moss', contacts: [contact('C1', 'mum.wh@example.org'), contact('C2', 'dad.wh@example.org')] },
      }),
    ]);
    const reason = 'Telling the father would put Sky at risk of significant harm (social care advice)';
    await post('oak', [planted('P-WH', { parentReport: { withhold: true, reason } })]);

    expect(await mailTo('mum.wh@example.org')).toHaveLength(0);
    expect(await mailTo('dad.wh@example.org')).toHaveLength(0);
    const [alert, ...more] = (await mailTo('dsl@oak.example.org')).filter((entry) => entry.subject.includes('P-WH'));
    expect(more).toHaveLength(0);
    expect(alert!.subject).toBe('Restrictive intervention report withheld from parents at Oak Primary (pupil P-WH)');
    expect(alert!.text).toContain(`Reason for withholding: ${reason}`);
    expect(alert!.text).not.toContain(NOTE);

    const exported = (await exportOf('oak', 'P-WH')).restrictiveInterventions[0]!;
    expect(((exported as Record<string, unknown>).data as { parentReport: unknown }).parentReport).toEqual({ withhold: true, reason });
    expect(summarise(exported.reportDecisions)).toEqual([
      ['dsl', 'restrictive-report-withheld', 'sent', null],
      ['none', 'restrictive-report', 'suppressed', 'report-withheld'],
    ]);
  });
});

describe('no contact can receive it', () => {
  it('alerts the DSL that the report must be given another way', async () => {
    await post('oak', [
      pupil({
        pupilId: 'P-NC',
        data: {
          firstName: 'Kit',
          lastName: 'Lane',
          contacts: [contact('C1', undefined), contact('C2', 'aunt.nc@example.org', { parentalResponsibility: false })],
        },
      }),
    ]);
    await post('oak', [planted('P-NC')]);
    expect(await mailTo('aunt.nc@example.org')).toHaveLength(0);
    const [alert] = (await mailTo('dsl@oak.example.org')).filter((entry) => entry.subject.includes('P-NC'));
    expect(alert!.subject).toBe('Action needed: parents not yet told of a restrictive intervention at Oak Primary (pupil P-NC)');
    expect(alert!.text).toContain('given another way today');
    expect(alert!.text).toContain('a contact has no email address');
    expect(summarise((await exportOf('oak', 'P-NC')).restrictiveInterventions[0]!.reportDecisions)).toEqual([
      ['C1', 'restrictive-report', 'suppressed', 'no-email'],
      ['C2', 'restrictive-report', 'suppressed', 'no-parental-responsibility'],
      ['dsl', 'restrictive-report-undeliverable', 'sent', null],
    ]);
  });

  it('a pupil not on the roster, at a school without a DSL: the leaders are alerted instead', async () => {
    await post('elm', [planted('P-NOBODY')]);
    const [alert] = await mailTo('head@elm.example.org');
    expect(alert!.subject).toContain('parents not yet told');
    expect(alert!.text).toContain('no designated safeguarding lead');
    expect(alert!.text).toContain('the pupil is not on the roster yet');
    expect(summarise((await exportOf('elm', 'P-NOBODY')).restrictiveInterventions[0]!.reportDecisions)).toEqual([
      ['leaders', 'restrictive-report-undeliverable', 'sent', 'no-dsl-configured'],
      ['none', 'restrictive-report', 'suppressed', 'no-contacts'],
    ]);
  });

  it('every address refused the email for good: nobody was told, so the DSL is alerted', async () => {
    await post('oak', [pupil({ pupilId: 'P-RJ', data: { firstName: 'Ash', lastName: 'Reed', contacts: [contact('C1', 'bounce.rj@example.org')] } })]);
    await post('oak', [planted('P-RJ')]);
    const [alert] = (await mailTo('dsl@oak.example.org')).filter((entry) => entry.subject.includes('P-RJ'));
    expect(alert!.text).toContain('the email was refused');
    expect(summarise((await exportOf('oak', 'P-RJ')).restrictiveInterventions[0]!.reportDecisions)).toEqual([
      ['C1', 'restrictive-report', 'rejected', 'mail-rejected'],
      ['dsl', 'restrictive-report-undeliverable', 'sent', null],
    ]);
  });
});
