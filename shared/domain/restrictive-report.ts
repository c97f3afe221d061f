import type { StoredItem } from './records';
import type { Contact } from '../../events/pupil';
import type { ParentReportDecision, RestrictiveInterventionRecorded, RestrictiveType } from '../../events/restrictive';
import { redactOthers, storedData, type ContactReason, type PupilName, type PupilProfile, type Recipient } from './notification-policy';
import type { RestrictiveDecisionKind, RestrictiveReason } from './restrictive-kinds';

/**
 * The statutory report of a restrictive intervention (contract section 7): pure, like the
 * notification policy, which it follows for contacts. What differs, and why:
 * - every contact with parental responsibility, `notify` true and an email is told; a
 *   contact's `notifyFor` choices do not apply (the report is a legal duty);
 * - when nobody can be sent it, the DSL is alerted that it must be given another way;
 * - a withheld report (only where telling the parents would put the pupil at risk of
 *   significant harm) sends nothing to any parent; the DSL is alerted with the reason and
 *   the decision is recorded;
 * - the report is built from a whitelist (RestrictiveReportNotice): no staff ids, no other
 *   pupil, no antecedents (which tend to name others), never `notes`; the free text it does
 *   carry has the staff ids and the other pupils' ids and names replaced.
 */

/** What a parent's report may say: whitelisted fields only. */
export interface RestrictiveReportNotice {
  pupil: PupilName;
  recordRef: string;
  startedAt: string;
  location: string;
  types: RestrictiveType[];
  technique?: string;
  durationMinutes: number;
  reason: string;
  deEscalation: string;
  injuries: { pupil: boolean; staff: boolean; description?: string };
  supportAfter?: string;
}

/** What the DSL is told: ids, time, classification, and the withholding reason; never notes. */
export interface RestrictiveDslAlert {
  kind: Exclude<RestrictiveDecisionKind, 'restrictive-report'>;
  eventId: string;
  pupilId: string;
  /** The DSL is staff: the pupil's name when on the roster. */
  pupilName?: string;
  recordRef: string;
  startedAt: string;
  types: RestrictiveType[];
  durationMinutes: number;
  injured: boolean;
  /** Withheld: the reason recorded for withholding. */
  withholdReason?: string;
  /** Withheld from some parents only (`withholdFrom`): whom, as "relationship (contactId)"; the others were sent it. */
  withheldFrom?: string[];
  /** Withheld from some parents only: at least one other was sent the report. */
  sentToOthers?: true;
  /** Undeliverable: why each contact (or nobody) could not be sent it, counted. */
  undeliverable?: Record<string, number>;
}

export interface RestrictiveDecision {
  pupilId: string;
  kind: 'restrictive-report';
  dedupKey: string;
  recipient: Recipient;
  action: 'send' | 'suppress';
  reason?: ContactReason | RestrictiveReason | 'no-contacts';
  notice?: RestrictiveReportNotice;
}

export interface RestrictiveReportPlan {
  decisions: RestrictiveDecision[];
  /** Present when no parent can be (or may be) sent the report. */
  dslAlert?: RestrictiveDslAlert;
}

const restrictiveRecordData = (record: StoredItem) => storedData<RestrictiveInterventionRecorded>(record);

/** Why this contact cannot be sent the statutory report (undefined: they can). No `notifyFor`. */
export function reportSuppression(contact: Contact): ContactReason | undefined {
  if (!contact.notify) return 'notify-false';
  if (!contact.parentalResponsibility) return 'no-parental-responsibility';
  if (!contact.email) return 'no-email';
  return undefined;
}

const none: Recipient = { contactId: 'none' };

export function decideRestrictiveReport(input: {
  eventId: string;
  record: StoredItem;
  /** The pupil's profile and those of any other pupils named on the record (to redact their names). */
  profiles: ReadonlyMap<string, PupilProfile | undefined>;
}): RestrictiveReportPlan {
  const { eventId, record, profiles } = input;
  const data = restrictiveRecordData(record);
  const pupilId = String((record.pupilIds as string[] | undefined)?.[0] ?? record.pupilId);
  const profile = profiles.get(pupilId);
  const alertBase = alertAbout(eventId, pupilId, profile, data);
  const base = { pupilId, kind: 'restrictive-report' as const, dedupKey: eventId };

  const decision: ParentReportDecision = data.parentReport;
  if (decision !== 'send' && !decision.withholdFrom) {
    return {
      decisions: [{ ...base, recipient: none, action: 'suppress', reason: 'report-withheld' }],
      dslAlert: { ...alertBase, kind: 'restrictive-report-withheld', withholdReason: decision.reason },
    };
  }

  if (!profile || profile.contacts.length === 0) {
    return {
      decisions: [{ ...base, recipient: none, action: 'suppress', reason: 'no-contacts' }],
      dslAlert: dslAlertFor(decision, alertBase, { undeliverable: { [profile ? 'no-contacts' : 'not-on-roster']: 1 } }),
    };
  }

  const withheldFrom = new Set(decision === 'send' ? [] : decision.withholdFrom);
  const decisions: RestrictiveDecision[] = [];
  const addresses = new Set<string>();
  const notice = reportNotice(pupilId, profile, data, profiles);
  for (const person of profile.contacts) {
    const recipient: Recipient = { contactId: person.contactId, relationship: person.relationship, ...(person.email ? { email: person.email } : {}) };
    let reason: RestrictiveDecision['reason'] = withheldFrom.has(person.contactId) ? 'report-withheld' : reportSuppression(person);
    const address = person.email?.toLowerCase();
    if (!reason && address && addresses.has(address)) reason = 'duplicate-email';
    if (reason) {
      decisions.push({ ...base, recipient, action: 'suppress', reason });
      continue;
    }
    if (address) addresses.add(address);
    decisions.push({ ...base, recipient, action: 'send', notice });
  }
  const withheld = decisions.filter((planned) => planned.reason === 'report-withheld').map((planned) => contactName(planned.recipient));
  if (decisions.some((planned) => planned.action === 'send'))
    return { decisions, dslAlert: dslAlertFor(decision, alertBase, { withheld, sentToOthers: true }) };
  const undeliverable: Record<string, number> = {};
  for (const planned of decisions) if (planned.reason !== 'report-withheld') undeliverable[planned.reason!] = (undeliverable[planned.reason!] ?? 0) + 1;
  return { decisions, dslAlert: dslAlertFor(decision, alertBase, { withheld, undeliverable }) };
}

type AlertBase = Omit<RestrictiveDslAlert, 'kind'>;
const contactName = (recipient: Recipient) => `${recipient.relationship ?? 'Contact'} (${recipient.contactId})`;

/**
 * The DSL alert, if any: a report withheld from some parents always alerts the DSL (with the
 * reason, whom from, and why any other parent could not be sent it); a report to send alerts
 * only when nobody could be sent it.
 */
function dslAlertFor(
  decision: ParentReportDecision,
  alertBase: AlertBase,
  outcome: { withheld?: string[]; sentToOthers?: true; undeliverable?: Record<string, number> },
): RestrictiveDslAlert | undefined {
  const { withheld = [], sentToOthers, undeliverable } = outcome;
  const unsent = undeliverable && Object.keys(undeliverable).length > 0 ? { undeliverable } : {};
  if (decision !== 'send')
    return {
      ...alertBase,
      kind: 'restrictive-report-withheld',
      withholdReason: decision.reason,
      ...(withheld.length ? { withheldFrom: withheld } : {}),
      ...(sentToOthers ? { sentToOthers } : {}),
      ...unsent,
    };
  return undeliverable ? { ...alertBase, kind: 'restrictive-report-undeliverable', undeliverable } : undefined;
}

function alertAbout(eventId: string, pupilId: string, profile: PupilProfile | undefined, data: RestrictiveInterventionRecorded) {
  return {
    eventId,
    pupilId,
    ...(profile ? { pupilName: `${profile.firstName} ${profile.lastName}` } : {}),
    recordRef: data.recordId,
    startedAt: data.startedAt,
    types: [...data.types],
    durationMinutes: data.durationMinutes,
    injured: data.injuries.pupil || data.injuries.staff,
  };
}

/** The DSL alert when every report that was sent came back refused (nobody was told after all). */
export function undeliverableAlert(
  eventId: string,
  record: StoredItem,
  profile: PupilProfile | undefined,
  reasons: Record<string, number>,
): RestrictiveDslAlert {
  const data = restrictiveRecordData(record);
  const pupilId = String((record.pupilIds as string[] | undefined)?.[0] ?? record.pupilId);
  return { ...alertAbout(eventId, pupilId, profile, data), kind: 'restrictive-report-undeliverable', undeliverable: reasons };
}

/** The parents' report: the record's shareable fields, with staff and other pupils taken out of its free text. */
function reportNotice(
  pupilId: string,
  profile: PupilProfile,
  data: RestrictiveInterventionRecorded,
  profiles: ReadonlyMap<string, PupilProfile | undefined>,
): RestrictiveReportNotice {
  const others = [
    ...(data.otherPupilIds ?? []).filter((other) => other !== pupilId).map((other) => ({ pupilId: other })),
    ...[...data.staffIds, ...(data.recordedBy ? [data.recordedBy] : [])].map((staffId) => ({ staffId })),
  ];
  const clean = (text: string) => redactOthers(text.trim(), pupilId, others, profiles);
  const description = data.injuries.description?.trim();
  const support = data.supportAfter?.trim();
  const technique = data.technique?.trim();
  return {
    pupil: { firstName: profile.firstName, lastName: profile.lastName },
    recordRef: data.recordId,
    startedAt: data.startedAt,
    location: clean(data.location),
    types: [...data.types],
    ...(technique ? { technique: clean(technique) } : {}),
    durationMinutes: data.durationMinutes,
    reason: clean(data.reason),
    deEscalation: clean(data.deEscalation),
    injuries: { pupil: data.injuries.pupil, staff: data.injuries.staff, ...(description ? { description: clean(description) } : {}) },
    ...(support ? { supportAfter: clean(support) } : {}),
  };
}

/** Other pupils named on a record: their profiles are read only to keep their names out of the report. */
export function otherPupilsOf(record: StoredItem): string[] {
  const data = record.data as { otherPupilIds?: unknown } | undefined;
  return Array.isArray(data?.otherPupilIds) ? data.otherPupilIds.map(String) : [];
}
