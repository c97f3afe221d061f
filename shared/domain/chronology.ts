import type { EventType } from '../../events/catalogue';
import { restrictiveDecisionKinds } from './restrictive-kinds';
import type { StaffRole } from './staff-access';

/**
 * A pupil's chronology (contract section 6): what each stored item becomes as an entry, and
 * what each role may see of it. Pure: the staff API's adapter reads items, this decides.
 */

/** A stored item on the chronology index: a journal event, an absence mark or a notification decision. */
export type ChronologyItem = Record<string, unknown> & { recordKind?: unknown; type?: unknown };

type RecordedType = Exclude<EventType, 'pupil.upserted' | 'attendance.marked'>;

/**
 * Every event type on the chronology, and the incident it belongs to (if any), which decides
 * safeguarding restriction. A `Record` over the catalogue's types: a new event type does not
 * compile until it has its line here.
 */
const none = () => undefined;
const eventKinds: Record<
  RecordedType,
  { incidentOf: (data: Record<string, unknown>) => unknown; derived?: (item: ChronologyItem) => Record<string, unknown> }
> = {
  'intervention.started': { incidentOf: none },
  'intervention.session.recorded': { incidentOf: none },
  'intervention.ended': { incidentOf: none },
  'restorative.session.recorded': { incidentOf: (data) => data.incidentId },
  'incident.recorded': { incidentOf: (data) => data.incidentId },
  // Restricted with the incident it follows, when that incident is a safeguarding one.
  'restrictive.intervention.recorded': { incidentOf: (data) => data.incidentId },
  // Shown with what the system derived from the scale scores (contract section 8).
  'outcome.measure.recorded': { incidentOf: none, derived: (item) => ({ totalDifficulties: item.totalDifficulties, bands: item.bands }) },
};

export type ChronologyEntry =
  | {
      kind: RecordedType;
      occurredAt: string;
      eventId: string;
      recordedBy?: string;
      data: Record<string, unknown>;
      totalDifficulties?: unknown;
      bands?: unknown;
    }
  | { kind: 'absence'; occurredAt: string; eventId: string; date: string; session: string; code: string; minutesLate?: number }
  | {
      kind: 'notification';
      occurredAt: string;
      eventId: string;
      eventType: string;
      notice: string;
      category: string;
      status: string;
      reason?: string;
      recipient: unknown;
    }
  | {
      kind: 'restrictive-report';
      occurredAt: string;
      eventId: string;
      outcome: ReportOutcome;
      reason?: string;
      recipient: unknown;
    }
  | { kind: 'restricted'; occurredAt: string };

/**
 * What happened to the statutory report of a restrictive intervention (contract section 7), in
 * the school's words, so a reader need not decode notice kinds and statuses: sent to this
 * contact; not sent to this contact (`reason` says why); withheld (risk of significant harm);
 * nobody could be sent it; refused by the mail service; still being sent; the DSL alerted that
 * it was withheld, or that it must be given another way.
 */
export type ReportOutcome = 'sent' | 'not-sent' | 'withheld' | 'no-contact' | 'mail-refused' | 'sending' | 'dsl-alerted-withheld' | 'dsl-alerted-no-contact';

export type EntryKind = ChronologyEntry['kind'];
export const entryKinds = [...(Object.keys(eventKinds) as RecordedType[]), 'absence', 'notification', 'restrictive-report'] as const;

const isRecordedType = (type: unknown): type is RecordedType => typeof type === 'string' && Object.hasOwn(eventKinds, type);

/** The entry a stored item shows as, before visibility; undefined for anything else. */
export function toEntry(item: ChronologyItem): ChronologyEntry | undefined {
  if (item.recordKind === 'notification' && isReportDecision(item.kind)) {
    return {
      kind: 'restrictive-report',
      occurredAt: String(item.decidedAt),
      eventId: String(item.eventId),
      outcome: reportOutcome(item),
      ...(item.reason ? { reason: String(item.reason) } : {}),
      recipient: item.recipient,
    };
  }
  if (item.recordKind === 'notification') {
    return {
      kind: 'notification',
      occurredAt: String(item.decidedAt),
      eventId: String(item.eventId),
      eventType: String(item.eventType),
      notice: String(item.kind),
      category: String(item.category),
      status: String(item.status),
      ...(item.reason ? { reason: String(item.reason) } : {}),
      recipient: item.recipient,
    };
  }
  if (item.recordKind !== 'event') return undefined;
  if (item.type === 'attendance.marked') {
    return {
      kind: 'absence',
      occurredAt: String(item.occurredAt),
      eventId: String(item.eventId),
      date: String(item.date),
      session: String(item.session),
      code: String(item.code),
      ...(typeof item.minutesLate === 'number' ? { minutesLate: item.minutesLate } : {}),
    };
  }
  if (!isRecordedType(item.type)) return undefined;
  return {
    kind: item.type,
    occurredAt: String(item.occurredAt),
    eventId: String(item.eventId),
    ...(typeof item.recordedBy === 'string' ? { recordedBy: item.recordedBy } : {}),
    data: (item.data as Record<string, unknown> | undefined) ?? {},
    ...eventKinds[item.type].derived?.(item),
  };
}

const isReportDecision = (kind: unknown) => (restrictiveDecisionKinds as readonly unknown[]).includes(kind);

function reportOutcome(item: ChronologyItem): ReportOutcome {
  if (item.kind === 'restrictive-report-withheld') return 'dsl-alerted-withheld';
  if (item.kind === 'restrictive-report-undeliverable') return 'dsl-alerted-no-contact';
  switch (item.status) {
    case 'sent':
    case 'complained': // delivered; the parent marked it as spam
      return 'sent';
    case 'rejected':
    case 'bounced':
      return 'mail-refused';
    case 'suppressed':
      if (item.reason === 'report-withheld') return 'withheld';
      return item.reason === 'no-contacts' ? 'no-contact' : 'not-sent';
    default:
      return 'sending';
  }
}

/**
 * Incidents with a safeguarding concern in any stored version, and every event id whose
 * decisions reveal one: each version of those incidents, and each record that follows one.
 */
export interface Restricted {
  incidents: ReadonlySet<string>;
  events: ReadonlySet<string>;
}

const dataOf = (item: ChronologyItem) => (item.data as Record<string, unknown> | undefined) ?? {};

/**
 * From every incident journal item of a pupil (all versions), and the journal items of the
 * records the page's decisions are about (`recordsDecidedOn`).
 */
export function restrictedIncidents(items: ChronologyItem[], decidedRecords: ChronologyItem[] = []): Restricted {
  const incidentOf = (item: ChronologyItem) => String(dataOf(item).incidentId);
  const concern = (item: ChronologyItem) => item.safeguardingConcern === true || dataOf(item).safeguardingConcern === true;
  const incidents = new Set(items.filter((item) => item.type === 'incident.recorded' && concern(item)).map(incidentOf));
  const versions = items.filter((item) => item.type === 'incident.recorded' && incidents.has(incidentOf(item)));
  // A decision about a record that follows a restricted incident (a restrictive intervention's
  // report, a restorative session's summary) tells of that incident too.
  const following = decidedRecords.filter((item) => isRecordedType(item.type) && incidents.has(String(eventKinds[item.type].incidentOf(dataOf(item)))));
  return { incidents, events: new Set([...versions, ...following].map((item) => String(item.eventId))) };
}

/**
 * The records the page's decisions are about that may follow an incident: the API reads
 * their journal items (their `incidentId`), since the decision does not name the incident.
 */
export function recordsDecidedOn(items: ChronologyItem[]): string[] {
  const follows = (type: unknown) => isRecordedType(type) && type !== 'incident.recorded' && eventKinds[type].incidentOf !== none;
  return [...new Set(items.filter((item) => item.recordKind === 'notification' && follows(item.eventType)).map((item) => String(item.eventId)))];
}

export const nothingRestricted: Restricted = { incidents: new Set(), events: new Set() };

/** Whether an entry touches safeguarding: then only the DSL sees it in full. */
function isSafeguarding(entry: ChronologyEntry, restricted: Restricted): boolean {
  switch (entry.kind) {
    case 'notification':
      // A DSL alert, a notice held back for safeguarding (the incident's, or one a restorative
      // session follows), or any decision about a restricted incident or a record that follows
      // one reveals the concern itself.
      return (
        entry.category === 'dsl-alert' || entry.reason === 'safeguarding' || entry.reason === 'linked-safeguarding' || restricted.events.has(entry.eventId)
      );
    case 'restrictive-report':
      // Alerting the DSL is a safeguarding step, as every DSL alert is; so is any decision about
      // a record that follows a restricted incident.
      return entry.outcome === 'dsl-alerted-withheld' || entry.outcome === 'dsl-alerted-no-contact' || restricted.events.has(entry.eventId);
    case 'absence':
    case 'restricted':
      return false;
    default: {
      const incidentId = eventKinds[entry.kind].incidentOf(entry.data);
      return (
        (entry.kind === 'incident.recorded' && entry.data.safeguardingConcern === true) ||
        (typeof incidentId === 'string' && restricted.incidents.has(incidentId))
      );
    }
  }
}

/**
 * Safeguarding visibility, decided here and nowhere else: `dsl` sees everything; `staff` and
 * `leader` see a safeguarding entry as `{kind: "restricted", occurredAt}` with nothing else;
 * `trust` may not read a chronology at all (undefined: the API answers 403).
 */
export function presentFor(role: StaffRole, entries: ChronologyEntry[], restricted: Restricted): ChronologyEntry[] | undefined {
  if (role === 'trust') return undefined;
  if (role === 'dsl') return entries;
  return entries.map((entry) => (isSafeguarding(entry, restricted) ? { kind: 'restricted', occurredAt: entry.occurredAt } : withoutWithholdReason(entry)));
}

/**
 * Staff see that a report was withheld, and from whom (so nobody mentions the incident to
 * those parents), not why: the reason is about the risk the parents pose, which is for the DSL.
 */
function withoutWithholdReason(entry: ChronologyEntry): ChronologyEntry {
  if (entry.kind !== 'restrictive.intervention.recorded' || !entry.data.parentReport || typeof entry.data.parentReport !== 'object') return entry;
  const { reason: _reason, ...decision } = entry.data.parentReport as Record<string, unknown>;
  return { ...entry, data: { ...entry.data, parentReport: decision } };
}

/** Whether an item on a page could be restricted by a safeguarding incident (then the API reads the pupil's incidents). */
export function mayBeRestricted(item: ChronologyItem): boolean {
  if (item.recordKind === 'notification') return true;
  return item.recordKind === 'event' && isRecordedType(item.type) && eventKinds[item.type].incidentOf !== none;
}
