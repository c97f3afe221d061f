import * as z from 'zod';
import type { EventType } from '../../../events/catalogue';
import { contact, type Contact } from '../../../events/pupil';
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

const storedProfile = z.object({
  pupilId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  contacts: z.array(contact).default([]),
});

/** A stored pupil profile item (recordKind `pupil`) as the policy needs it. */
export function toPupilProfile(item: Record<string, unknown>): PupilProfile {
  const parsed = storedProfile.safeParse(item);
  // Ids only in the error: a validation message must not carry a contact's details into a log.
  if (!parsed.success)
    throw new Error(`stored profile of pupil ${String(item.pupilId)} is unreadable (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
  return parsed.data;
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

/** A stored event's `data`, read with its catalogue schema (ids only in the error). */
export function parseData<T extends z.ZodType>(schema: T, record: StoredItem): z.infer<T> {
  const parsed = schema.safeParse(record.data);
  if (!parsed.success) throw new Error(`stored ${String(record.type)} ${String(record.eventId)} has unreadable data`);
  return parsed.data;
}
