import { describe, expect, it } from 'vitest';
import { sesFeedbackDetailTypes } from '../../events/ses-feedback';
import { judgeMailFeedback, sesFeedbackDetail, sesFeedbackRecord, simulatedFeedback } from '../../shared/domain/mail-feedback';
import { dslAlertMessage, dslUndeliveredMessage } from '../../shared/domain/messages';

/** The pure core of record-mail-feedback: what an SES feedback record means for a decision. */
const message = { messageId: 'ses-1', to: ['x@example.org'], category: 'dsl-alert', configurationSet: 'tracker-prod', timestamp: '2026-11-23T09:00:00Z' };
const judge = (address: string) => {
  const simulated = simulatedFeedback(address, message.timestamp)!;
  const record = sesFeedbackRecord(simulated.eventType, message, simulated.extra);
  return { record, judgement: judgeMailFeedback(sesFeedbackDetail.parse(record.detail)) };
};

describe('judgeMailFeedback', () => {
  it('a hard bounce marks the decision bounced, with SES diagnostic, and as undelivered', () => {
    const { record, judgement } = judge('bounce@simulator.amazonses.com');
    expect(record.detailType).toBe(sesFeedbackDetailTypes.Bounce);
    expect(judgement).toMatchObject({ messageId: 'ses-1', configurationSet: 'tracker-prod', category: 'dsl-alert', status: 'bounced', undelivered: true });
    expect(judgement.reason).toBe('Permanent bounce (General): smtp; 550 5.1.1 user unknown');
  });

  it('an address on the suppression list is a bounce that says so', () => {
    const { judgement } = judge('suppressionlist@simulator.amazonses.com');
    expect(judgement.status).toBe('bounced');
    expect(judgement.reason).toMatch(/suppression list \(OnAccountSuppressionList\)/);
  });

  it('a complaint marks it complained (delivered, so not undelivered)', () => {
    const { judgement } = judge('complaint@simulator.amazonses.com');
    expect(judgement).toMatchObject({ status: 'complained', undelivered: false });
    expect(judgement.reason).toContain('abuse');
  });

  it('a reject is undelivered; a delay changes no status', () => {
    const reject = judgeMailFeedback(sesFeedbackDetail.parse({ eventType: 'Reject', mail: { messageId: 'm' }, reject: { reason: 'Bad content' } }));
    expect(reject).toMatchObject({ status: 'rejected', undelivered: true, reason: 'rejected by SES: Bad content' });
    const delay = judgeMailFeedback(
      sesFeedbackDetail.parse({ eventType: 'DeliveryDelay', mail: { messageId: 'm' }, deliveryDelay: { delayType: 'MailboxFull' } }),
    );
    expect(delay.status).toBeUndefined();
    expect(delay).toMatchObject({ undelivered: false, reason: 'delivery delayed (MailboxFull); SES keeps trying' });
  });

  it('other mailbox-simulator and ordinary addresses get no simulated feedback', () => {
    expect(simulatedFeedback('success@simulator.amazonses.com', message.timestamp)).toBeUndefined();
    expect(simulatedFeedback('parent@example.org', message.timestamp)).toBeUndefined();
    expect(simulatedFeedback('bounce+dsl@simulator.amazonses.com', message.timestamp)?.eventType).toBe('Bounce');
  });
});

describe("the leaders' copy of a DSL alert that bounced", () => {
  const alert = { eventId: 'e1', pupilId: 'P001', occurredAt: '2026-11-23T09:00:00Z', incidentRef: 'I1', category: 'harm', severity: 4 };
  const school = { name: 'Oak Primary', timezone: 'Europe/London' };

  it('warns that the DSL address failed, with the reason, and says so in the subject', () => {
    const email = dslAlertMessage(alert, school, { toLeaders: true, dslFailed: 'Permanent bounce (General)' });
    expect(email.subject).toMatch(/^Not delivered to the DSL: /);
    expect(email.text).toContain('could not be delivered (Permanent bounce (General))');
    expect(email.text).not.toContain('no designated safeguarding lead (DSL) email is configured');
  });

  it('for a DSL message that is not an incident alert (a restraint report), warns with ids and the reason only', () => {
    const email = dslUndeliveredMessage({ pupilId: 'P9', eventId: 'r1', eventType: 'restrictive.intervention.recorded' }, school, 'Permanent bounce (General)');
    expect(email.subject).toBe('Not delivered to the DSL: safeguarding message at Oak Primary (pupil P9)');
    expect(email.text).toContain('could not be delivered (Permanent bounce (General))');
    expect(email.text).toContain('restrictive.intervention.recorded');
  });
});
