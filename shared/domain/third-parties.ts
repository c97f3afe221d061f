import type { StoredItem } from './records';

/**
 * Who else a pupil's records are about, for the school's DPO answering a subject access
 * request: the export is complete (it is the controller's working copy), and this list says
 * what to weigh before any of it goes to the requester. Information about another person
 * need not be disclosed unless they consent or it is reasonable to disclose it without
 * (Data Protection Act 2018, Schedule 2, paragraph 16; docs/data-protection.md).
 */
export interface ThirdParties {
  /** Other pupils named by id (restorative participants, intervention groups, a restrictive record's others). */
  pupilIds: string[];
  /** Staff named by id (who ran, took part, recorded or posted it). */
  staffIds: string[];
  /** Contacts on the roster: their names, emails and phone numbers are their own data. */
  contactIds: string[];
  /** Free text written by staff that may name others, by record: read it before disclosing. */
  freeText: { eventId: string; type: string; fields: string[] }[];
}

/** Free-text fields, by where they sit in `data`, that staff may write other people's names into. */
const narrative = ['notes', 'antecedents', 'deEscalation', 'reason', 'supportAfter', 'summaryForParents', 'location', 'technique'];

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item) => typeof item === 'string') : typeof value === 'string' ? [value] : [];

function idsIn(event: StoredItem): { pupils: string[]; staff: string[] } {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const participants = Array.isArray(data.participants) ? (data.participants as Record<string, unknown>[]) : [];
  return {
    pupils: [...strings(data.otherPupilIds), ...strings(data.groupPupilIds), ...participants.flatMap((person) => strings(person.pupilId))],
    staff: [
      ...strings(data.staffIds),
      ...strings(data.staffId),
      ...strings(data.recordedBy),
      ...strings(event.recordedBy),
      ...participants.flatMap((person) => strings(person.staffId)),
    ],
  };
}

function writtenIn(event: StoredItem): string[] {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const fields = narrative.filter((field) => typeof data[field] === 'string' && (data[field] as string).trim() !== '');
  const injury = (data.injuries as { description?: unknown } | undefined)?.description;
  return typeof injury === 'string' && injury.trim() !== '' ? [...fields, 'injuries.description'] : fields;
}

export function thirdPartiesIn(pupilId: string, profile: StoredItem | undefined, events: StoredItem[]): ThirdParties {
  const pupils = new Set<string>();
  const staff = new Set<string>();
  const freeText: ThirdParties['freeText'] = [];
  for (const event of events) {
    const ids = idsIn(event);
    for (const id of ids.pupils) if (id !== pupilId) pupils.add(id);
    for (const id of ids.staff) staff.add(id);
    const fields = writtenIn(event);
    if (fields.length > 0) freeText.push({ eventId: String(event.eventId), type: String(event.type), fields: fields.map((field) => `data.${field}`) });
  }
  const contacts = Array.isArray(profile?.contacts) ? (profile.contacts as { contactId?: unknown }[]) : [];
  return {
    pupilIds: [...pupils].sort(),
    staffIds: [...staff].sort(),
    contactIds: contacts.map((contact) => String(contact.contactId)),
    freeText,
  };
}
