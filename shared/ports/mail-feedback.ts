import type { Key } from '../domain/records';

/** What the table keeps about a sent message, under its SES message id (sentMessageKey). */
export interface SentMessage {
  messageId: string;
  decisionKey: Key;
  schoolId: string;
  pupilId: string;
  eventId: string;
  eventType: string;
  week: string;
  category: string;
  /** The decision's recipient: `dsl`, `leaders`, or a contact id. */
  recipientContactId: string;
  expiresAt: number;
}

export interface FeedbackUpdate {
  /** Absent for a delivery delay: the status stays, the delay is noted beside it. */
  status?: 'bounced' | 'complained' | 'rejected';
  reason: string;
  at: string;
}

/** Marks notification decisions with what SES reported after sending (record-mail-feedback). */
export interface MailFeedbackStore {
  sentMessage(messageId: string): Promise<SentMessage | undefined>;
  recordFeedback(decisionKey: Key, update: FeedbackUpdate): Promise<void>;
}
