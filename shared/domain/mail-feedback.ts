import * as z from 'zod/mini';
import { sesFeedbackDetailTypes, type SesFeedbackType } from '../../events/ses-feedback';

/**
 * What SES tells us after a message left: bounces, complaints, rejects and delivery delays,
 * published by the configuration set's event destination to EventBridge (the same record
 * SES publishes to SNS, as `detail`). Pure: what a feedback record means for the
 * notification decision that sent the message.
 */

const recipient = z.looseObject({ emailAddress: z.string(), status: z.optional(z.string()), diagnosticCode: z.optional(z.string()) });

/** Only the fields used; SES sends more (zod/mini: this is all record-mail-feedback validates). */
export const sesFeedbackDetail = z.looseObject({
  eventType: z.enum(['Bounce', 'Complaint', 'Reject', 'DeliveryDelay']),
  mail: z.looseObject({
    messageId: z.string().check(z.minLength(1)),
    timestamp: z.optional(z.string()),
    tags: z._default(z.record(z.string(), z.array(z.string())), {}),
  }),
  bounce: z.optional(
    z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z._default(z.array(recipient), []),
      timestamp: z.optional(z.string()),
    }),
  ),
  complaint: z.optional(z.looseObject({ complaintFeedbackType: z.optional(z.string()), timestamp: z.optional(z.string()) })),
  reject: z.optional(z.looseObject({ reason: z.optional(z.string()) })),
  deliveryDelay: z.optional(z.looseObject({ delayType: z.optional(z.string()), timestamp: z.optional(z.string()) })),
});
export type SesFeedbackDetail = z.infer<typeof sesFeedbackDetail>;

/** What becomes of the decision: a new status, or (a delay) only a note beside it. */
export interface FeedbackJudgement {
  messageId: string;
  configurationSet?: string;
  category?: string;
  /** `undefined`: the message may still arrive (a delay), the status stays. */
  status?: 'bounced' | 'complained' | 'rejected';
  /** SES's reason in words, for the pupil export (may quote the recipient's server). */
  reason: string;
  /** The message did not reach the recipient (bounce or reject): alert someone else. */
  undelivered: boolean;
  at?: string;
}

const suppressionSubTypes = new Set(['OnAccountSuppressionList', 'OnSuppressionList', 'Suppressed']);

export function judgeMailFeedback(detail: SesFeedbackDetail): FeedbackJudgement {
  const { mail } = detail;
  const base = {
    messageId: mail.messageId,
    configurationSet: mail.tags['ses:configuration-set']?.[0],
    category: mail.tags.category?.[0],
  };
  switch (detail.eventType) {
    case 'Bounce': {
      const bounce = detail.bounce;
      const subType = bounce?.bounceSubType ?? 'Undetermined';
      const diagnostic = bounce?.bouncedRecipients.find((r) => r.diagnosticCode)?.diagnosticCode;
      const reason = suppressionSubTypes.has(subType)
        ? `${bounce?.bounceType ?? 'Permanent'} bounce: the address is on the SES suppression list (${subType})`
        : `${bounce?.bounceType ?? 'Undetermined'} bounce (${subType})${diagnostic ? `: ${diagnostic}` : ''}`;
      return { ...base, status: 'bounced', reason, undelivered: true, at: bounce?.timestamp };
    }
    case 'Complaint':
      return {
        ...base,
        status: 'complained',
        reason: `complaint (${detail.complaint?.complaintFeedbackType ?? 'no feedback type'}): the recipient marked the message as spam`,
        undelivered: false,
        at: detail.complaint?.timestamp,
      };
    case 'Reject':
      return { ...base, status: 'rejected', reason: `rejected by SES: ${detail.reject?.reason ?? 'no reason given'}`, undelivered: true };
    case 'DeliveryDelay':
      return {
        ...base,
        reason: `delivery delayed (${detail.deliveryDelay?.delayType ?? 'unspecified'}); SES keeps trying`,
        undelivered: false,
        at: detail.deliveryDelay?.timestamp,
      };
  }
}

/** The SES event record for a message, as the configuration set publishes it (the local outbox's simulator). */
export function sesFeedbackRecord(
  eventType: SesFeedbackType,
  message: { messageId: string; to: string[]; category: string; configurationSet: string; timestamp: string },
  extra: Record<string, unknown>,
): { detailType: string; detail: Record<string, unknown> } {
  return {
    detailType: sesFeedbackDetailTypes[eventType],
    detail: {
      eventType,
      mail: {
        timestamp: message.timestamp,
        messageId: message.messageId,
        destination: message.to,
        tags: { 'ses:configuration-set': [message.configurationSet], category: [message.category] },
      },
      ...extra,
    },
  };
}

/**
 * SES's mailbox simulator addresses (docs: "Using the mailbox simulator"): the local outbox
 * answers them with the feedback SES would publish.
 */
export function simulatedFeedback(address: string, timestamp: string): { eventType: SesFeedbackType; extra: Record<string, unknown> } | undefined {
  const local = /^([a-z]+)(\+[^@]*)?@simulator\.amazonses\.com$/i.exec(address.trim())?.[1]?.toLowerCase();
  const bounce = (bounceSubType: string, diagnosticCode: string) => ({
    eventType: 'Bounce' as const,
    extra: {
      bounce: {
        bounceType: 'Permanent',
        bounceSubType,
        bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode }],
        timestamp,
      },
    },
  });
  switch (local) {
    case 'bounce':
      return bounce('General', 'smtp; 550 5.1.1 user unknown');
    case 'suppressionlist':
      return bounce('OnAccountSuppressionList', 'Amazon SES did not send the message to this address because it is on the suppression list for your account.');
    case 'complaint':
      return { eventType: 'Complaint', extra: { complaint: { complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: address }], timestamp } } };
    default:
      return undefined;
  }
}
