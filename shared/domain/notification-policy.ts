import * as z from 'zod';
import type { StoredItem } from './records';
import { attendanceCategories, firstDayAbsenceCodes } from '../../events/attendance-codes';
import type { EventType } from '../../events/catalogue';
import { incidentRecorded } from '../../events/incident';
import { interventionEnded, interventionKinds, interventionStarted } from '../../events/intervention';
import { contact, type Contact, type NotifyForKind } from '../../events/pupil';
import { restorativeSessionRecorded } from '../../events/restorative';
import { absenceCorrectionDedupKey, absenceDedupKey } from './keys';
import type { RestrictiveDecisionKind, RestrictiveReason } from './restrictive-kinds';

/**
 * Parent/carer notification and DSL alert policy: the one place that decides which stored
 * events notify, who may be told, what a message may contain, and why anyone was not told.
 * Pure: the service (shared/services/notifications.ts) reads the records, asks this file,
 * then records each decision and sends. docs/notifications.md has the table in prose.
 *
 * What is never sent to a parent/carer, enforced here by construction (a ParentNotice is
 * built from a whitelist of fields, so nothing else can reach a message):
 * - anything about an event with `safeguardingConcern: true` (that goes to the DSL instead);
 * - every `notes` field; technique/location free text of an incident; intervention titles
 *   and target descriptions (staff free text);
 * - any other pupil's id or name (restorative participants, intervention groups);
 * - any staff id (and so no staff name): staffId, facilitators.
 */

// ---------------------------------------------------------------------------------------------
// Kinds and reasons

export type InterventionKind = (typeof interventionKinds)[number];
export type AbsenceCode = (typeof firstDayAbsenceCodes)[number];

/** What a parent message is about. */
export const parentNoticeKinds = ['force', 'detention', 'intervention-started', 'intervention-ended', 'restorative', 'absence', 'absence-correction'] as const;
export type ParentNoticeKind = (typeof parentNoticeKinds)[number];
/** The `kind` attribute of a decision record (`none`: the event is of no notifying kind). */
export type NotificationKind = ParentNoticeKind | 'dsl-alert' | 'none' | RestrictiveDecisionKind;

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

// ---------------------------------------------------------------------------------------------
// Inputs: the stored record, as read by key, and the pupils' profiles

/** The stored item the bus detail's `key` points at (journal item or attendance mark). */

export interface PupilProfile {
  pupilId: string;
  firstName: string;
  lastName: string;
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

export interface ParentPolicyInput {
  eventId: string;
  type: EventType;
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

// ---------------------------------------------------------------------------------------------
// What may be said (whitelisted fields only)

export interface PupilName {
  firstName: string;
  lastName: string;
}

export type ParentNotice =
  | {
      kind: 'force';
      pupil: PupilName;
      occurredAt: string;
      incidentRef: string;
      category: string;
      durationMinutes?: number;
      injury: boolean;
      /** Present when the incident also led to a detention and the contact wants detention notices. */
      detention?: { date: string; minutes: number };
    }
  | { kind: 'detention'; pupil: PupilName; occurredAt: string; incidentRef: string; category: string; detention: { date: string; minutes: number } }
  | { kind: 'intervention-started'; pupil: PupilName; startDate: string; programme: InterventionKind; plannedSessions?: number }
  | { kind: 'intervention-ended'; pupil: PupilName; endDate: string; programme?: InterventionKind; outcome: z.infer<typeof interventionEnded>['outcome'] }
  | {
      kind: 'restorative';
      pupil: PupilName;
      date: string;
      format: z.infer<typeof restorativeSessionRecorded>['format'];
      agreementReached?: boolean;
      followUpDate?: string;
      /** summaryForParents with other participants' ids and names redacted. */
      summary: string;
    }
  | { kind: 'absence'; pupil: PupilName; date: string; session: 'AM' | 'PM'; code: AbsenceCode }
  /** The mark an absence notice was about now says the pupil was there (present, or approved education off site). */
  | { kind: 'absence-correction'; pupil: PupilName; date: string; session: 'AM' | 'PM'; now: 'present' | 'approvedOffSite' };

// ---------------------------------------------------------------------------------------------
// Decisions

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

const absenceCodes: ReadonlySet<string> = new Set(firstDayAbsenceCodes);

type EventVerdict =
  | { notify: false; kind: NotificationKind; reason: EventReason }
  | { notify: true; kind: ParentNoticeKind; dedupKey: string; notice: (pupil: PupilProfile, contact: Contact) => ParentNotice };

function parseData<T extends z.ZodType>(schema: T, record: StoredItem): z.infer<T> {
  const parsed = schema.safeParse(record.data);
  if (!parsed.success) throw new Error(`stored ${String(record.type)} ${String(record.eventId)} has unreadable data`);
  return parsed.data;
}

const nameOf = (pupil: PupilProfile): PupilName => ({ firstName: pupil.firstName, lastName: pupil.lastName });

/** Does the event notify anyone at all, and with what? (Same answer for every pupil of it.) */
function judgeEvent(input: ParentPolicyInput): EventVerdict {
  const { type, record, eventId, today } = input;
  switch (type) {
    case 'incident.recorded': {
      const data = parseData(incidentRecorded, record);
      const kind: NotificationKind = data.physicalIntervention?.used ? 'force' : data.detention ? 'detention' : 'none';
      if (data.safeguardingConcern === true || record.safeguardingConcern === true || input.incidentSafeguarding)
        return { notify: false, kind, reason: 'safeguarding' };
      if (kind === 'none') return { notify: false, kind, reason: 'not-notifiable' };
      const base = { occurredAt: data.happenedAt ?? String(record.occurredAt), incidentRef: data.incidentId, category: data.category };
      if (kind === 'force') {
        const force = data.physicalIntervention!;
        return {
          notify: true,
          kind,
          dedupKey: eventId,
          notice: (pupil, contact) => ({
            kind: 'force',
            pupil: nameOf(pupil),
            ...base,
            ...(force.durationMinutes !== undefined ? { durationMinutes: force.durationMinutes } : {}),
            injury: force.injury,
            // The statutory notice goes regardless; the detention part honours the preference.
            ...(data.detention && !optedOut(contact, 'detention') ? { detention: { ...data.detention } } : {}),
          }),
        };
      }
      const detention = data.detention!;
      return { notify: true, kind, dedupKey: eventId, notice: (pupil) => ({ kind: 'detention', pupil: nameOf(pupil), ...base, detention: { ...detention } }) };
    }
    case 'intervention.started': {
      const data = parseData(interventionStarted, record);
      return {
        notify: true,
        kind: 'intervention-started',
        dedupKey: eventId,
        notice: (pupil) => ({
          kind: 'intervention-started',
          pupil: nameOf(pupil),
          startDate: data.startDate,
          programme: data.kind,
          ...(data.plannedSessions ? { plannedSessions: data.plannedSessions } : {}),
        }),
      };
    }
    case 'intervention.ended': {
      const data = parseData(interventionEnded, record);
      const programme =
        input.interventionKind && (interventionKinds as readonly string[]).includes(input.interventionKind) ? input.interventionKind : undefined;
      return {
        notify: true,
        kind: 'intervention-ended',
        dedupKey: eventId,
        notice: (pupil) => ({
          kind: 'intervention-ended',
          pupil: nameOf(pupil),
          endDate: data.endDate,
          outcome: data.outcome,
          ...(programme ? { programme } : {}),
        }),
      };
    }
    case 'restorative.session.recorded': {
      const data = parseData(restorativeSessionRecorded, record);
      // Its summary would tell parents about an incident the DSL is handling.
      if (input.incidentSafeguarding) return { notify: false, kind: 'restorative', reason: 'linked-safeguarding' };
      const summary = data.summaryForParents?.trim();
      if (!summary) return { notify: false, kind: 'restorative', reason: 'no-summary-for-parents' };
      return {
        notify: true,
        kind: 'restorative',
        dedupKey: eventId,
        notice: (pupil) => ({
          kind: 'restorative',
          pupil: nameOf(pupil),
          date: data.date,
          format: data.format,
          ...(data.agreementReached !== undefined ? { agreementReached: data.agreementReached } : {}),
          ...(data.followUpDate ? { followUpDate: data.followUpDate } : {}),
          summary: redactOthers(summary, pupil.pupilId, data.participants, input.profiles),
        }),
      };
    }
    case 'attendance.marked': {
      const date = String(record.date);
      const code = String(record.code);
      const session = record.session === 'PM' ? 'PM' : 'AM';
      // A correction of a notice already sent, whatever the date: the service found who was told.
      if (input.toldOfAbsence) return judgeCorrection(input.toldOfAbsence, date, session, code);
      if (date < today) return { notify: false, kind: 'absence', reason: 'past-date' };
      if (date > today) return { notify: false, kind: 'absence', reason: 'future-date' };
      // The bus said N/O/U, but the stored mark is the truth now: a correction wins.
      if (!absenceCodes.has(code)) return { notify: false, kind: 'absence', reason: 'absence-corrected' };
      return {
        notify: true,
        kind: 'absence',
        dedupKey: absenceDedupKey(date),
        notice: (pupil) => ({ kind: 'absence', pupil: nameOf(pupil), date, session, code: code as AbsenceCode }),
      };
    }
    case 'intervention.session.recorded':
    case 'pupil.upserted':
    case 'outcome.measure.recorded':
    // Never reaches here: notify-parents hands it to the statutory report (restrictive-report.ts).
    case 'restrictive.intervention.recorded':
      return { notify: false, kind: 'none', reason: 'not-notifiable' };
  }
}

/**
 * A mark corrected after its first-day absence notice went out (docs/notifications.md): the
 * families told "absent" hear "our records now show they were there" when the pupil was in
 * school or in approved education off site, whatever the date (a wrong absence notice
 * worries a family); an authorised code means the family gave the reason, so the notice was
 * true and nothing more is sent, with the decision recorded.
 */
function judgeCorrection(told: ReadonlySet<string>, date: string, session: 'AM' | 'PM', code: string): EventVerdict {
  if (told.size === 0) return { notify: false, kind: 'absence', reason: 'absence-corrected' };
  const category = attendanceCategories.present.includes(code as never)
    ? 'present'
    : attendanceCategories.approvedOffSite.includes(code as never)
      ? 'approvedOffSite'
      : undefined;
  if (!category) return { notify: false, kind: 'absence-correction', reason: 'absence-now-authorised' };
  return {
    notify: true,
    kind: 'absence-correction',
    dedupKey: absenceCorrectionDedupKey(date),
    notice: (pupil) => ({ kind: 'absence-correction', pupil: nameOf(pupil), date, session, now: category }),
  };
}

function optedOut(contact: Contact, preference: NotifyForKind): boolean {
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

/** A stored mark that replaced an N, O or U with a code that is no longer one: that code. */
export function correctedAbsenceCode(record: StoredItem): string | undefined {
  const { code, previousCode } = record as { code?: unknown; previousCode?: unknown };
  return record.type === 'attendance.marked' && absenceCodes.has(String(previousCode)) && !absenceCodes.has(String(code)) ? String(previousCode) : undefined;
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

// ---------------------------------------------------------------------------------------------
// Other people in shared free text

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceWord(text: string, word: string, replacement: string): string {
  if (word.trim().length < 2) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word.trim())}(?![\\p{L}\\p{N}])`, 'giu'), replacement);
}

/**
 * summaryForParents is written to be shared, but one session's summary goes to the parents
 * of every pupil in it: the other pupils' ids and known names, and every staff id, are
 * replaced before it reaches this pupil's parents. (Staff names are not known to the system;
 * the school's text is trusted not to contain them.)
 */
export function redactOthers(
  text: string,
  pupilId: string,
  participants: readonly ({ pupilId: string } | { staffId: string })[],
  profiles: ReadonlyMap<string, PupilProfile | undefined>,
): string {
  let out = text;
  const others = participants.flatMap((person) => ('pupilId' in person && person.pupilId !== pupilId ? [person.pupilId] : []));
  for (const other of others) {
    const profile = profiles.get(other);
    const words = [...(profile ? [`${profile.firstName} ${profile.lastName}`, profile.firstName, profile.lastName] : []), other];
    for (const word of words) out = replaceWord(out, word, 'another pupil');
  }
  for (const person of participants) {
    if ('staffId' in person) out = replaceWord(out, person.staffId, 'a member of staff');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DSL alerts

/** What a DSL alert may say: ids, time and classification; never notes (email is not secure). */
export interface DslAlert {
  eventId: string;
  pupilId: string;
  /** The DSL is staff: the pupil's name is included when the pupil is on the roster. */
  pupilName?: string;
  occurredAt: string;
  incidentRef: string;
  category: string;
  severity: number;
  /** An amended version that does not itself say safeguarding: an earlier version did. */
  amendment?: boolean;
}

export function dslAlertFor(eventId: string, record: StoredItem, pupilId: string, profile: PupilProfile | undefined): DslAlert {
  const data = parseData(incidentRecorded, record);
  return {
    ...(isSafeguardingConcern(record) ? {} : { amendment: true }),
    eventId,
    pupilId,
    ...(profile ? { pupilName: `${profile.firstName} ${profile.lastName}` } : {}),
    occurredAt: data.happenedAt ?? String(record.occurredAt),
    incidentRef: data.incidentId,
    category: data.category,
    severity: data.severity,
  };
}

/** Whether a stored record is a safeguarding concern (the only thing alert-dsl acts on). */
export function isSafeguardingConcern(record: StoredItem): boolean {
  return (
    record.type === 'incident.recorded' &&
    (record.safeguardingConcern === true || (record.data as { safeguardingConcern?: unknown } | undefined)?.safeguardingConcern === true)
  );
}

/** The DSL, or the school's leaders when no DSL is configured (the service logs a warning). */
export function dslRecipient(school: { dslEmail?: string; leaders: string[] }): { recipient: Recipient; to: string[]; reason?: DeliveryReason } {
  if (school.dslEmail) {
    return { recipient: { contactId: 'dsl', relationship: 'designated safeguarding lead', email: school.dslEmail }, to: [school.dslEmail] };
  }
  return {
    recipient: { contactId: 'leaders', relationship: 'school leaders (no DSL configured)', emails: [...school.leaders] },
    to: [...school.leaders],
    reason: 'no-dsl-configured',
  };
}

/** The recipient part of a DSL alert's decision key: one alert per event, whoever receives it. */
export const dslDecisionRecipient = 'dsl';
