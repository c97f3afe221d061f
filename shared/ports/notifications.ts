import type { IncidentVersion } from '../domain/incident-versions';
import type { DecisionReason, NotificationKind, Recipient } from '../domain/notification-policy';
import type { Key, StoredItem } from '../domain/records';
import type { SentMessage } from './mail-feedback';

/** `bounced` and `complained` come later, from SES feedback (services/mail-feedback.ts). */
export type DecisionStatus = 'sending' | 'sent' | 'retryable' | 'rejected' | 'suppressed' | 'bounced' | 'complained';

/** The stored decision (recordKind `notification`); docs/notifications.md describes each field. */
export interface NotificationDecisionItem extends Key {
  recordKind: 'notification';
  schoolId: string;
  pupilId: string;
  eventId: string;
  eventType: string;
  kind: NotificationKind;
  dedupKey: string;
  recipient: Recipient;
  channel: 'email';
  category: 'parent-notification' | 'dsl-alert';
  status: DecisionStatus;
  reason?: DecisionReason;
  decidedAt: string;
  sentAt?: string;
  messageId?: string;
  errorName?: string;
  week: string;
  expiresAt: number;
  gsi2pk: string;
  gsi2sk: string;
  /** The pupil's chronology (staff API). */
  gsi3pk: string;
  gsi3sk: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: Record<string, unknown> };

/**
 * Where decisions are kept (DynamoDB: shared/adapters/aws/notification-store.ts). A claim
 * still `sending` may be stored off the pupil's chronology (never off the week's figures): the
 * outcome (`markSent`, `markFailed`) adds it, and so does a later claim that meets it still
 * `sending` (the retry of a crashed delivery).
 */
export interface NotificationStore {
  /** Stores the decision unless one is already under its key; a `retryable` one is taken over. */
  claim(item: NotificationDecisionItem): Promise<ClaimResult>;
  /** Marks the claimed decision sent and, with `sent`, indexes the message id so SES feedback finds the decision. */
  markSent(item: NotificationDecisionItem, result: { messageId: string; sentAt: string }, sent?: SentMessage): Promise<void>;
  markFailed(
    item: NotificationDecisionItem,
    failure: { status: 'retryable' | 'rejected'; errorName: string; reason?: DecisionReason; failedAt: string },
  ): Promise<void>;
}

/** What the notifiers read (GetItem/Query only). */
export interface NotificationReads {
  storedRecord(key: Key): Promise<StoredItem | undefined>;
  pupilProfile(schoolId: string, pupilId: string): Promise<Record<string, unknown> | undefined>;
  /** The kind of an intervention, from its start event on the pupil's timeline. */
  interventionKind(schoolId: string, pupilId: string, interventionId: string): Promise<string | undefined>;
  /** Every stored version of an incident (safeguarding is sticky across them). */
  incidentVersions(schoolId: string, incidentId: string): Promise<IncidentVersion[]>;
}
