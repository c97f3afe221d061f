import type { Contact, NotifyForKind } from '../../../events/pupil';
import type { ContactReason, ParentNoticeKind } from './kinds';

/** Which of a pupil's contacts may receive a parent notice of a kind. */

/** The contact preference (`notifyFor`) each kind falls under; force is statutory and has none. */
export const preferenceOf: Record<ParentNoticeKind, NotifyForKind> = {
  force: 'force',
  detention: 'detention',
  'intervention-started': 'intervention',
  'intervention-ended': 'intervention',
  restorative: 'restorative',
  absence: 'absence',
  'absence-correction': 'absence',
};
/** Kinds a contact's `notifyFor` cannot switch off (DfE reasonable-force guidance). */
export const statutoryKinds: ReadonlySet<ParentNoticeKind> = new Set(['force']);

export function optedOut(contact: Contact, preference: NotifyForKind): boolean {
  return contact.notifyFor !== undefined && !contact.notifyFor.includes(preference);
}

/** Why this contact may not be told about this kind (undefined: they may). Order matters: first reason wins. */
export function contactSuppression(contact: Contact, kind: ParentNoticeKind): ContactReason | undefined {
  if (!contact.notify) return 'notify-false';
  if (!contact.parentalResponsibility) return 'no-parental-responsibility';
  if (!contact.email) return 'no-email';
  const preference = preferenceOf[kind];
  if (!statutoryKinds.has(kind) && optedOut(contact, preference)) return `opted-out:${preference}`;
  return undefined;
}
