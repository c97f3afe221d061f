import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localConfigurationSet } from '../../infra/local/stack';
import type { TallyMetrics } from '../../shared/adapters/local/tally-metrics';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { sesFeedbackRecord } from '../../shared/domain/mail-feedback';
import { pupilExport } from '../../shared/services/pupil-export';
import { incident, pupil } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Issue 10 item 2 over the local stack: mail to SES's mailbox simulator addresses gets the
 * feedback SES would publish (the outbox puts it on the local bus, which runs the same
 * mailFeedback rule as the default bus); record-mail-feedback marks the decision, and a DSL
 * alert that bounced goes to the leaders once.
 */
const clock = { now: () => new Date('2026-11-23T09:00:00Z') };
const today = '2026-11-23';
const bounceDsl = 'bounce@simulator.amazonses.com';

let stack: TestStack;
let secret: string;
beforeAll(async () => {
  stack = await startTestStack({ clock });
  secret = await stack.addSchool({ schoolId: 'ash', name: 'Ash Primary', leaders: ['head@ash.example.org'], dslEmail: bounceDsl });
});
afterAll(() => stack?.cleanup());

async function post(events: unknown[]) {
  const response = await stack.post('ash', secret, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.flush();
}
const decisions = async (pupilId: string) => (await readPupilRecords(stack.adapters.table, 'ash', pupilId, today)).notifications;
const metrics = () => stack.adapters.metrics as TallyMetrics;

describe('a DSL alert that bounces', () => {
  it('is marked bounced with SES reason, and goes at once to the leaders with a warning, once', async () => {
    await post([
      pupil({ pupilId: 'P-B1' }),
      incident({ pupilId: 'P-B1', eventId: 'sg-bounce-1', data: { safeguardingConcern: true, notes: 'never in mail' } }),
    ]);
    const records = await decisions('P-B1');
    const toDsl = records.find((d) => d.eventId === 'sg-bounce-1' && (d.recipient as { contactId: string }).contactId === 'dsl')!;
    expect(toDsl).toMatchObject({ status: 'bounced', feedbackReason: 'Permanent bounce (General): smtp; 550 5.1.1 user unknown' });
    const toLeaders = records.find((d) => d.reason === 'dsl-undelivered')!;
    expect(toLeaders).toMatchObject({ status: 'sent', category: 'dsl-alert' });

    const warnings = (await stack.outbox()).filter((mail) => mail.to.includes('head@ash.example.org'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.subject).toMatch(/^Not delivered to the DSL: Safeguarding concern recorded at Ash Primary/);
    expect(warnings[0]!.text).not.toContain('never in mail');
    expect(metrics().totals.get('DslAlertUndelivered')).toBe(1);

    // The pupil export shows the decision with SES's reason.
    const exported = pupilExport('ash', 'P-B1', await readPupilRecords(stack.adapters.table, 'ash', 'P-B1', today), clock.now());
    expect(exported.notifications).toContainEqual(expect.objectContaining({ status: 'bounced', feedbackReason: expect.stringContaining('550 5.1.1') }));
  });

  it('SES delivering the same bounce again changes nothing and warns no one again', async () => {
    const [toDsl] = (await decisions('P-B1')).filter((d) => (d.recipient as { contactId: string }).contactId === 'dsl');
    const again = sesFeedbackRecord(
      'Bounce',
      {
        messageId: String(toDsl!.messageId),
        to: [bounceDsl],
        category: 'dsl-alert',
        configurationSet: localConfigurationSet,
        timestamp: clock.now().toISOString(),
      },
      { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [] } },
    );
    const outcome = await stack.invoke('record-mail-feedback', { source: 'aws.ses', 'detail-type': again.detailType, detail: again.detail });
    expect(outcome).toMatchObject({ result: 'recorded', status: 'bounced', escalation: 'duplicate' });
    expect((await stack.outbox()).filter((mail) => mail.to.includes('head@ash.example.org'))).toHaveLength(1);
  });
});

describe("parents' notices", () => {
  const parent = (contactId: string, email: string) => ({
    contactId,
    name: `Parent ${contactId}`,
    relationship: 'mother',
    parentalResponsibility: true,
    email,
    notify: true,
  });

  it('a complaint marks the decision complained; an address on the suppression list, bounced', async () => {
    await post([
      pupil({
        pupilId: 'P-C1',
        data: {
          firstName: 'Kit',
          lastName: 'Lee',
          yearGroup: '5',
          contacts: [
            parent('C1', 'complaint@simulator.amazonses.com'),
            parent('C2', 'suppressionlist@simulator.amazonses.com'),
            parent('C3', 'fine@example.org'),
          ],
        },
      }),
      incident({ pupilId: 'P-C1', eventId: 'det-1', data: { detention: { date: today, minutes: 30 } } }),
    ]);
    const byContact = Object.fromEntries((await decisions('P-C1')).map((d) => [(d.recipient as { contactId: string }).contactId, d]));
    expect(byContact.C1).toMatchObject({ status: 'complained', feedbackReason: expect.stringContaining('complaint (abuse)') });
    expect(byContact.C2).toMatchObject({ status: 'bounced', feedbackReason: expect.stringContaining('suppression list') });
    expect(byContact.C3).toMatchObject({ status: 'sent' });
    expect(byContact.C3!.feedbackReason).toBeUndefined();
    expect(metrics().totals.get('NotificationsComplained')).toBe(1);
  });

  it("feedback on another configuration set's mail (another stage in the account) is ignored", async () => {
    const foreign = sesFeedbackRecord(
      'Bounce',
      {
        messageId: 'not-ours',
        to: ['x@example.org'],
        category: 'parent-notification',
        configurationSet: 'tracker-other',
        timestamp: clock.now().toISOString(),
      },
      { bounce: { bounceType: 'Permanent', bouncedRecipients: [] } },
    );
    expect(await stack.invoke('record-mail-feedback', { source: 'aws.ses', 'detail-type': foreign.detailType, detail: foreign.detail })).toMatchObject({
      result: 'ignored',
    });
  });
});
