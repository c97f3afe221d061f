import { journalKey } from '../domain/keys';
import { judgeMailFeedback, type SesFeedbackDetail } from '../domain/mail-feedback';
import { dslAlertMessage, dslUndeliveredMessage } from '../domain/messages';
import { dslAlertFor, toPupilProfile } from '../domain/notification-policy';
import type { Ports, SchoolProfile, SentMessage } from '../ports';
import { decisionItem, send, type DecisionOutcome, type NotificationDeps } from './notifications';

/**
 * SES feedback on a sent message marks the notification decision that sent it (`bounced`,
 * `complained`, `rejected`, or a delay noted beside `sent`), which the pupil export shows.
 * A DSL alert that did not reach the DSL goes at once to the school's leaders, with a
 * warning that the DSL address failed, exactly once however often SES's event arrives.
 */

/** `configurationSet`: this stack's SES configuration set; feedback on another stack's mail is not ours. */
export type MailFeedbackDeps = NotificationDeps & Pick<Ports, 'mailFeedback'> & { configurationSet: string };

export interface MailFeedbackOutcome {
  messageId: string;
  /** `ignored`: another stack's message; `recorded`: the decision was marked. */
  result: 'ignored' | 'recorded';
  status?: 'bounced' | 'complained' | 'rejected';
  category?: string;
  schoolId?: string;
  /** A DSL alert did not reach the DSL (an alarm's metric). */
  dslUndelivered: boolean;
  /** The leaders' warning, when a DSL alert was undelivered. */
  escalation?: DecisionOutcome;
}

/** The message is ours but its decision is not marked sent yet (SES was quicker): retry. */
export class SentMessageNotFoundError extends Error {
  override name = 'SentMessageNotFoundError';
}

/** Recipient key of the leaders' warning beside the DSL alert's own decision (one per event). */
export const dslUndeliveredRecipient = 'dsl-undelivered';

export async function recordMailFeedback(detail: SesFeedbackDetail, deps: MailFeedbackDeps): Promise<MailFeedbackOutcome> {
  const judgement = judgeMailFeedback(detail);
  const { messageId } = judgement;
  if (judgement.configurationSet !== deps.configurationSet) return { messageId, result: 'ignored', dslUndelivered: false };
  const sent = await deps.mailFeedback.sentMessage(messageId);
  if (!sent) throw new SentMessageNotFoundError(`no decision recorded for SES message ${messageId} yet`);

  const at = judgement.at ?? deps.clock.now().toISOString();
  await deps.mailFeedback.recordFeedback(sent.decisionKey, { ...(judgement.status ? { status: judgement.status } : {}), reason: judgement.reason, at });
  const outcome: MailFeedbackOutcome = {
    messageId,
    result: 'recorded',
    ...(judgement.status ? { status: judgement.status } : {}),
    category: sent.category,
    schoolId: sent.schoolId,
    dslUndelivered: sent.category === 'dsl-alert' && judgement.undelivered,
  };
  // Only the DSL's own alert escalates: the leaders' copies have no one further to go to.
  if (outcome.dslUndelivered && sent.recipientContactId === 'dsl') outcome.escalation = await warnLeaders(sent, judgement.reason, deps);
  return outcome;
}

async function warnLeaders(sent: SentMessage, reason: string, deps: MailFeedbackDeps): Promise<DecisionOutcome> {
  const school = await deps.schools.get(sent.schoolId);
  if (!school) throw new Error(`school ${sent.schoolId} of SES message ${sent.messageId} not found`);
  const item = decisionItem(
    {
      schoolId: sent.schoolId,
      eventId: sent.eventId,
      eventType: sent.eventType,
      week: sent.week,
      decidedAt: deps.clock.now(),
      timezone: school.timezone,
      category: 'dsl-alert',
    },
    {
      pupilId: sent.pupilId,
      kind: 'dsl-alert',
      dedupKey: sent.eventId,
      recipient: { contactId: 'leaders', relationship: 'school leaders (the DSL address failed)', emails: [...school.leaders] },
      reason: 'dsl-undelivered',
    },
    'sending',
    dslUndeliveredRecipient,
  );
  const claim = await deps.notifications.claim(item);
  if (!claim.claimed) return 'duplicate';
  return send(deps, item, { to: [...school.leaders], ...(await leadersWarning(sent, school, reason, deps)) });
}

/** The incident alert again, with the warning; for any other DSL message, a warning naming it. */
async function leadersWarning(sent: SentMessage, school: SchoolProfile, reason: string, deps: MailFeedbackDeps) {
  if (sent.eventType !== 'incident.recorded') return dslUndeliveredMessage(sent, school, reason);
  const [record, profileItem] = await Promise.all([
    deps.notificationReads.storedRecord(journalKey(sent.schoolId, sent.eventId)),
    deps.notificationReads.pupilProfile(sent.schoolId, sent.pupilId),
  ]);
  if (!record) throw new Error(`stored record of event ${sent.eventId} not found`);
  const alert = dslAlertFor(sent.eventId, record, sent.pupilId, profileItem ? toPupilProfile(profileItem) : undefined);
  return dslAlertMessage(alert, school, { toLeaders: true, dslFailed: reason });
}
