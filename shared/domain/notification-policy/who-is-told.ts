import type { StoredItem } from '../records';
import { contactSuppression } from './contacts';
import type { ParentPolicyInput } from './inputs';
import type { ContactReason, DecisionReason, EventReason, NotificationKind } from './kinds';
import type { ParentNotice } from './parent-notice';
import { judgeEvent } from './what-notifies';

/** Who is told about a stored event: one decision per pupil and contact, each sent or suppressed with its reason. */

export interface Recipient {
  /** The contact's id, or `none` (nobody could be told), `dsl` or `leaders`. */
  contactId: string;
  relationship?: string;
  /** Kept on the decision for audit; never logged. */
  email?: string;
  emails?: string[];
}

export interface PlannedDecision {
  pupilId: string;
  kind: NotificationKind;
  /**
   * What the decision is unique on, with the recipient: the eventId, or for a first-day
   * absence that is sent `absence#<date>` (one message per pupil per day).
   */
  dedupKey: string;
  recipient: Recipient;
  action: 'send' | 'suppress';
  reason?: DecisionReason;
  /** For `send`: exactly what the message may say. */
  notice?: ParentNotice;
}

/** The pupils a stored record is about. */
export function pupilIdsOfRecord(record: StoredItem): string[] {
  if (record.type === 'attendance.marked') return [String(record.pupilId)];
  return Array.isArray(record.pupilIds) ? record.pupilIds.map(String) : [];
}

const none: Recipient = { contactId: 'none' };

/**
 * Every decision for one stored event: per pupil, either one event-level suppression
 * (recipient `none`), or one decision per contact (send, or suppressed with its reason).
 */
export function decideParentNotifications(input: ParentPolicyInput): PlannedDecision[] {
  const verdict = judgeEvent(input);
  const decisions: PlannedDecision[] = [];
  for (const pupilId of pupilIdsOfRecord(input.record)) {
    const suppressAll = (kind: NotificationKind, reason: EventReason) =>
      decisions.push({ pupilId, kind, dedupKey: input.eventId, recipient: none, action: 'suppress', reason });
    if (!verdict.notify) {
      suppressAll(verdict.kind, verdict.reason);
      continue;
    }
    const profile = input.profiles.get(pupilId);
    if (!profile || profile.contacts.length === 0) {
      suppressAll(verdict.kind, 'no-contacts');
      continue;
    }
    const addresses = new Set<string>();
    for (const person of profile.contacts) {
      const recipient: Recipient = { contactId: person.contactId, relationship: person.relationship, ...(person.email ? { email: person.email } : {}) };
      let reason: ContactReason | undefined = contactSuppression(person, verdict.kind);
      if (!reason && verdict.kind === 'absence-correction' && !input.toldOfAbsence?.has(person.contactId)) reason = 'not-told-of-absence';
      const address = person.email?.toLowerCase();
      if (!reason && address && addresses.has(address)) reason = 'duplicate-email';
      if (reason) {
        decisions.push({ pupilId, kind: verdict.kind, dedupKey: input.eventId, recipient, action: 'suppress', reason });
        continue;
      }
      if (address) addresses.add(address);
      decisions.push({ pupilId, kind: verdict.kind, dedupKey: verdict.dedupKey, recipient, action: 'send', notice: verdict.notice(profile, person) });
    }
  }
  return decisions;
}
