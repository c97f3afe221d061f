import { attendanceCodes } from '../../../events/attendance-codes';
import { eventIdPattern } from '../../../events/catalogue';
import { yearGroups, type Contact } from '../../../events/pupil';
import {
  wondeAttendanceCode,
  wondeDeletion,
  wondeSessionAttendance,
  wondeStudent,
  type WondeContact,
  type WondeDate,
  type WondeStudent,
} from './wonde-records';

/**
 * Pure mapping from Wonde's records to catalogue events (contract sections 3 and 9). No I/O:
 * the sync service reads pages and stores what this returns. Every event id is derived from
 * Wonde's id and `updated_at`, so reading an unchanged record again yields the same id (the
 * store answers `duplicate`) and a changed record yields a new id with a later `occurredAt`
 * (the store's latest-wins rule applies). Problems name Wonde ids only, never a person.
 */

export interface MappingProblem {
  /** `<resource>:<wonde id>` */
  ref: string;
  reason: string;
}

export type Mapped = { ok: true; event: Record<string, unknown> } | { ok: false; problem: MappingProblem } | { ok: 'skip' };

const dfeCodes = new Set<string>(attendanceCodes);

/** Wonde's `{date, timezone}` as an RFC 3339 UTC instant. */
export function wondeInstant(value: WondeDate): string {
  const [day, time = '00:00:00'] = value.date.split(' ');
  const local = Date.parse(`${day}T${time.slice(0, 12)}Z`);
  const zone = value.timezone;
  const utc = zone === 'UTC' || zone === 'Z' || zone === '+00:00' ? local : local - zoneOffsetMs(local, zone);
  return new Date(utc).toISOString();
}

/** Offset of `timeZone` from UTC at about `instant` (ms); two passes settle a DST edge. */
function zoneOffsetMs(localAsUtc: number, timeZone: string): number {
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(instant))
        .map((part) => [part.type, part.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - Math.floor(instant / 1000) * 1000;
  };
  const first = offsetAt(localAsUtc);
  return offsetAt(localAsUtc - first);
}

/** `wonde.<kind>.<id>.<yyyymmddhhmmssffffff>`: stable per (record, version), within the catalogue's id rules. */
export function wondeEventId(kind: string, wondeId: string, version: WondeDate): string {
  const stamp = wondeInstant(version).replace(/\D/g, '');
  const id = `wonde.${kind}.${wondeId.replace(/[^A-Za-z0-9_-]/g, '_')}.${stamp}`;
  return eventIdPattern.test(id) ? id : `wonde.${kind}.${stamp}.${wondeId.length}`.slice(0, 128);
}

/** Wonde year codes seen in MIS data ("7", "Year 7", "Reception", "N1") to the catalogue's year groups. */
export function yearGroupOf(student: WondeStudent): string | undefined {
  const raw = (student.year?.data?.code ?? student.year?.data?.name ?? '').trim();
  const compact = raw.replace(/^year\s*/i, '').toUpperCase();
  if (compact === 'RECEPTION') return 'R';
  const numeric = /^\d+$/.test(compact) ? String(Number(compact)) : compact;
  return (yearGroups as readonly string[]).includes(numeric) ? numeric : undefined;
}

/**
 * A contact is notifiable only when Wonde says the contact has parental responsibility AND
 * has an email. No parental responsibility data means false (the safe default: no notices).
 */
export function contactOf(contact: WondeContact): Contact | undefined {
  const emails = contact.contact_details?.data?.emails;
  const email = [emails?.primary, emails?.email, emails?.home, emails?.work].find((value) => value && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) ?? undefined;
  const phones = contact.contact_details?.data?.phones;
  const phone = phones?.primary ?? phones?.mobile ?? phones?.phone ?? phones?.home ?? undefined;
  const parentalResponsibility = contact.relationship?.parental_responsibility === true;
  const name = [contact.forename, contact.surname].filter(Boolean).join(' ').trim();
  return {
    contactId: contact.id,
    name: name || 'Contact',
    relationship: contact.relationship?.relationship?.trim() || 'contact',
    parentalResponsibility,
    ...(email ? { email } : {}),
    ...(phone ? { phone: phone.slice(0, 40) } : {}),
    notify: parentalResponsibility && email !== undefined,
    language: 'en',
  };
}

/** Contacts in Wonde's priority order (1 first; none last), at most the catalogue's 20. */
function contactsOf(student: WondeStudent): Contact[] {
  const priority = (contact: WondeContact) => contact.relationship?.priority ?? Number.MAX_SAFE_INTEGER;
  return [...(student.contacts?.data ?? [])]
    .sort((a, b) => priority(a) - priority(b) || a.id.localeCompare(b.id))
    .slice(0, 20)
    .flatMap((contact) => contactOf(contact) ?? []);
}

/**
 * `students` (on roll) or `leavers`: a leaver's roster is kept but with no contacts, so no
 * future notice can be sent about them (the same shape a deletion produces).
 */
export function mapStudent(raw: unknown, source: 'students' | 'leavers'): Mapped {
  const parsed = wondeStudent.safeParse(raw);
  const ref = `${source}:${idOf(raw)}`;
  if (!parsed.success) return { ok: false, problem: { ref, reason: `not a Wonde student record (${parsed.error.issues[0]?.path.join('.')})` } };
  const student = parsed.data;
  const yearGroup = yearGroupOf(student);
  if (!yearGroup) return { ok: false, problem: { ref, reason: 'year group cannot be mapped to N1, N2, R, 1..13' } };
  const firstName = (student.forename || student.legal_forename || '').trim();
  const lastName = (student.surname || student.legal_surname || '').trim();
  if (!firstName || !lastName) return { ok: false, problem: { ref, reason: 'forename or surname missing' } };
  return {
    ok: true,
    event: {
      eventId: wondeEventId(source === 'students' ? 'student' : 'leaver', student.id, student.updated_at),
      type: 'pupil.upserted',
      occurredAt: wondeInstant(student.updated_at),
      pupilId: student.id,
      data: {
        firstName,
        lastName,
        yearGroup,
        ...(student.date_of_birth ? { dateOfBirth: student.date_of_birth.date.slice(0, 10) } : {}),
        contacts: source === 'students' ? contactsOf(student) : [],
      },
    },
  };
}

/** The school's code list: Wonde code id → DfE code, or undefined when the code is not a DfE code. */
export function codeTable(rawCodes: readonly unknown[]): Map<string, string | undefined> {
  const table = new Map<string, string | undefined>();
  for (const raw of rawCodes) {
    const parsed = wondeAttendanceCode.safeParse(raw);
    if (!parsed.success) continue;
    const code = parsed.data.code.trim();
    table.set(parsed.data.id, dfeCodes.has(code) ? code : undefined);
  }
  return table;
}

/** One session mark. A code the school's list does not map to a DfE code is reported, never guessed. */
export function mapSessionAttendance(raw: unknown, codes: ReadonlyMap<string, string | undefined>): Mapped {
  const parsed = wondeSessionAttendance.safeParse(raw);
  const ref = `attendance:${idOf(raw)}`;
  if (!parsed.success) return { ok: false, problem: { ref, reason: `not a Wonde session attendance record (${parsed.error.issues[0]?.path.join('.')})` } };
  const mark = parsed.data;
  if (!codes.has(mark.attendance_code))
    return { ok: false, problem: { ref, reason: `attendance code ${mark.attendance_code} is not in the school's code list` } };
  const code = codes.get(mark.attendance_code);
  if (!code) return { ok: false, problem: { ref, reason: `attendance code ${mark.attendance_code} has no DfE equivalent` } };
  return {
    ok: true,
    event: {
      eventId: wondeEventId('attendance', mark.id, mark.updated_at),
      type: 'attendance.marked',
      occurredAt: wondeInstant(mark.updated_at),
      pupilId: mark.student,
      data: { date: mark.date.date.slice(0, 10), session: mark.session, code, ...(mark.minutes_late != null ? { minutesLate: mark.minutes_late } : {}) },
    },
  };
}

/** The stored roster a deletion needs (names and year group stay; contacts go). */
export interface StoredPupil {
  firstName: string;
  lastName: string;
  yearGroup: string;
  dateOfBirth?: string;
}

/**
 * A deleted student: the stored roster again, with no contacts, dated at the deletion, so
 * it wins over every earlier upsert and no notice follows. Other types, restored records and
 * pupils the tracker never stored are skipped.
 */
export function mapDeletion(raw: unknown, stored: (pupilId: string) => StoredPupil | undefined): Mapped {
  const parsed = wondeDeletion.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: { ref: `deletions:${idOf(raw)}`, reason: 'not a Wonde deletion record' } };
  const deletion = parsed.data;
  if (deletion.type !== 'student' || deletion.restored_at) return { ok: 'skip' };
  const pupil = stored(deletion.external_id);
  if (!pupil) return { ok: 'skip' };
  return {
    ok: true,
    event: {
      eventId: wondeEventId('deletion', deletion.id, deletion.deleted_at),
      type: 'pupil.upserted',
      occurredAt: wondeInstant(deletion.deleted_at),
      pupilId: deletion.external_id,
      data: { ...pupil, contacts: [] },
    },
  };
}

function idOf(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : '?';
}
