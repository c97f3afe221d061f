import type { EventType } from '../../../events/catalogue';
import type { Contact } from '../../../events/pupil';
import type { StoredItem } from '../records';
import type { InterventionKind } from './kinds';

/** What the policy is asked about: the stored record, as read by key, and the pupils' profiles. */

export interface PupilName {
  firstName: string;
  lastName: string;
}

export interface PupilProfile extends PupilName {
  pupilId: string;
  contacts: Contact[];
}

/**
 * What the table holds was written from the catalogue's parse of the event (events/catalogue.ts,
 * the one schema; defaults applied), so it is read by its type, as the rollups do, without
 * carrying the catalogue into the notifiers' bundles. Only what a message cannot do without is
 * checked here: a pupil's names and contact list, an event's `data` object.
 */
const profileFields = { pupilId: 'string', firstName: 'string', lastName: 'string' } as const;

/** A stored pupil profile item (recordKind `pupil`) as the policy needs it. */
export function toPupilProfile(item: Record<string, unknown>): PupilProfile {
  const unreadable = Object.entries(profileFields).flatMap(([field, type]) => (typeof item[field] === type ? [] : [field]));
  if (item.contacts !== undefined && !Array.isArray(item.contacts)) unreadable.push('contacts');
  // Ids only in the error: a validation message must not carry a contact's details into a log.
  if (unreadable.length) throw new Error(`stored profile of pupil ${String(item.pupilId)} is unreadable (${unreadable.join(', ')})`);
  return {
    pupilId: item.pupilId as string,
    firstName: item.firstName as string,
    lastName: item.lastName as string,
    contacts: (item.contacts as Contact[] | undefined) ?? [],
  };
}

export const nameOf = (pupil: PupilProfile): PupilName => ({ firstName: pupil.firstName, lastName: pupil.lastName });

export interface ParentPolicyInput {
  eventId: string;
  type: EventType;
  /** The stored item the bus detail's `key` points at (journal item or attendance mark). */
  record: StoredItem;
  /** Profiles by pupilId; a pupil without an entry (or `undefined`) is not on the roster. */
  profiles: ReadonlyMap<string, PupilProfile | undefined>;
  /** Today in the school's timezone (YYYY-MM-DD), when the decision is made. */
  today: string;
  /** intervention.ended: the programme's kind from its start event, when it is known. */
  interventionKind?: InterventionKind;
  /**
   * Whether any stored version of the incident (incident.recorded: this one's; restorative:
   * the linked `incidentId`'s) carried `safeguardingConcern: true`. Safeguarding is sticky.
   */
  incidentSafeguarding?: boolean;
  /**
   * attendance.marked whose absence (N/O/U) was corrected: the contacts who were sent the
   * first-day absence notice about this very mark (its date and session).
   */
  toldOfAbsence?: ReadonlySet<string>;
}

/** A stored event's `data`, as the catalogue's type `T` of its event type (ids only in the error). */
export function storedData<T>(record: StoredItem): T {
  if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) {
    throw new Error(`stored ${String(record.type)} ${String(record.eventId)} has unreadable data`);
  }
  return record.data as T;
}
