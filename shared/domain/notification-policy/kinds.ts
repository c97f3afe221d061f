import type { firstDayAbsenceCodes } from '../../../events/attendance-codes';
import type { interventionKinds } from '../../../events/intervention';
import type { NotifyForKind } from '../../../events/pupil';
import type { RestrictiveDecisionKind, RestrictiveReason } from '../restrictive-kinds';

/** What a notification is about, and the reasons recorded when someone was not told. */

export type InterventionKind = (typeof interventionKinds)[number];
export type AbsenceCode = (typeof firstDayAbsenceCodes)[number];

/** What a parent message is about. */
export const parentNoticeKinds = ['force', 'detention', 'intervention-started', 'intervention-ended', 'restorative', 'absence', 'absence-correction'] as const;
export type ParentNoticeKind = (typeof parentNoticeKinds)[number];
/** The `kind` attribute of a decision record (`none`: the event is of no notifying kind). */
export type NotificationKind = ParentNoticeKind | 'dsl-alert' | 'none' | RestrictiveDecisionKind;

/** Reasons that apply to the event as a whole: recorded once per pupil, recipient `none`. */
export const eventReasons = [
  'safeguarding',
  /** A restorative session about an incident that was (in any version) a safeguarding concern. */
  'linked-safeguarding',
  'not-notifiable',
  'no-summary-for-parents',
  'past-date',
  'future-date',
  'absence-corrected',
  /** An absence notice was sent, and the mark is now an authorised absence (or not a possible session): nothing more is sent. */
  'absence-now-authorised',
  /** An absence notice was sent, and the mark is now another unauthorised absence (G): nothing more is sent. */
  'absence-still-unauthorised',
  'no-contacts',
] as const;
export type EventReason = (typeof eventReasons)[number];

/** Reasons that apply to one contact. */
export type ContactReason =
  | 'notify-false'
  | 'no-parental-responsibility'
  | 'no-email'
  | 'duplicate-email'
  /** Absence correction: this contact was not sent the absence notice, so there is nothing to correct. */
  | 'not-told-of-absence'
  | `opted-out:${NotifyForKind}`;

/** Reasons the service adds when it carries a decision out. */
export type DeliveryReason =
  /** Absence: another mark the same day already claimed this contact's message. */
  | 'already-notified-today'
  /** The mail service refused the message for good (status `rejected`). */
  | 'mail-rejected'
  /** DSL alert sent to the school's leaders because no DSL is configured. */
  | 'no-dsl-configured'
  /** DSL alert sent to the school's leaders because the DSL's copy bounced (SES feedback). */
  | 'dsl-undelivered';

export type DecisionReason = EventReason | ContactReason | DeliveryReason | RestrictiveReason;
