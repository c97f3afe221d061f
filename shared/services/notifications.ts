import type { StoredItem } from '../domain/records';
import type { StoredEventDetail } from '../../events/bus';
import { dateInZone } from '../domain/calendar';
import { anySafeguarding } from '../domain/incident-versions';
import { absenceDedupKey, notificationIndexes, notificationKey } from '../domain/keys';
import { dslAlertMessage, parentMessage } from '../domain/messages';
import {
  correctedAbsenceCode,
  decideParentNotifications,
  dslAlertFor,
  dslDecisionRecipient,
  dslRecipient,
  isSafeguardingConcern,
  pupilIdsOfRecord,
  toPupilProfile,
  type DecisionReason,
  type InterventionKind,
  type NotificationKind,
  type PlannedDecision,
  type PupilProfile,
  type Recipient,
} from '../domain/notification-policy';
import { restrictiveDecisionKinds } from '../domain/restrictive-kinds';
import { expiresAt } from '../domain/retention';
import { PermanentMailError, type DecisionStatus, type NotificationDecisionItem, type Ports, type SchoolProfile, type SentMessage } from '../ports';

/**
 * Carrying out notification decisions exactly once per (event, recipient) over an
 * at-least-once bus:
 *
 * 1. record the decision first, conditionally (`attribute_not_exists`, or taking over a
 *    `retryable` one): a second delivery of the same event finds it and does nothing;
 * 2. send;
 * 3. mark it `sent` (messageId, sentAt).
 *
 * A transient send failure marks it `retryable` and the handler throws, so the platform
 * retries (and finally dead-letters) the event; a retry may claim the `retryable` decision
 * again. A permanent rejection is recorded as `rejected` and not retried. A crash between
 * send and step 3 leaves `sending`, which is never sent again: for the email itself this is
 * at-most-once, by design (a duplicate message to a parent is worse than a missing one, and
 * the `sending` record shows the case for follow-up).
 */

/** What the notifiers use. */
export type NotificationDeps = Pick<Ports, 'notificationReads' | 'notifications' | 'schools' | 'mailer' | 'clock'>;

export type DecisionOutcome = 'sent' | 'suppressed' | 'duplicate' | 'retryable' | 'rejected';

export interface NotificationSummary {
  schoolId: string;
  eventId: string;
  decisions: number;
  outcomes: Record<DecisionOutcome, number>;
  /** Suppressed decisions by reason (counts only). */
  reasons: Record<string, number>;
  /** DSL alerts: no DSL configured, so the school's leaders were alerted. */
  toLeaders?: boolean;
  /** alert-dsl was given an event that is not a safeguarding concern (nothing done). */
  ignored?: boolean;
}

/** Thrown after every decision was tried, when some sends failed transiently: the platform retries. */
export class NotificationRetryError extends Error {
  override name = 'NotificationRetryError';
  constructor(readonly summary: NotificationSummary) {
    // Ids and counts only: a mail error's own message may quote an address.
    super(`${summary.outcomes.retryable} of ${summary.decisions} notification(s) for event ${summary.eventId} failed transiently; retrying`);
  }
}

export class NotificationInputError extends Error {
  override name = 'NotificationInputError';
}

export interface DecisionContext {
  schoolId: string;
  eventId: string;
  eventType: string;
  week: string;
  decidedAt: Date;
  timezone: string;
  category: NotificationDecisionItem['category'];
}

export function decisionContext(detail: StoredEventDetail, school: SchoolProfile, decidedAt: Date, category: DecisionContext['category']): DecisionContext {
  return { schoolId: detail.schoolId, eventId: detail.eventId, eventType: detail.type, week: detail.week, decidedAt, timezone: school.timezone, category };
}

/** The item a decision is stored as; keyed on (pupil, dedupKey, recipientKey). */
export function decisionItem(
  context: DecisionContext,
  decision: { pupilId: string; kind: NotificationKind; dedupKey: string; recipient: Recipient; reason?: DecisionReason },
  status: DecisionStatus,
  recipientKey = decision.recipient.contactId,
): NotificationDecisionItem {
  const decidedAt = context.decidedAt.toISOString();
  const key = notificationKey(context.schoolId, decision.pupilId, decision.dedupKey, recipientKey);
  const ids = { schoolId: context.schoolId, pupilId: decision.pupilId, week: context.week, decidedAt, eventId: context.eventId, dedupKey: decision.dedupKey };
  return {
    ...key,
    ...notificationIndexes({ ...ids, sk: key.sk }),
    recordKind: 'notification',
    ...ids,
    eventType: context.eventType,
    kind: decision.kind,
    recipient: decision.recipient,
    channel: 'email',
    category: context.category,
    status,
    ...(decision.reason ? { reason: decision.reason } : {}),
    // Telling parents of force, and alerting the DSL, belong to the incident's record (docs/data-protection.md).
    expiresAt: expiresAt(
      decision.kind === 'force' || decision.kind === 'dsl-alert' || statutoryReportKinds.has(decision.kind)
        ? 'reasonableForceNotification'
        : 'notificationDecision',
      dateInZone(context.decidedAt, context.timezone),
    ),
  };
}

/** Decisions about a restrictive intervention report are kept as long as the record itself. */
const statutoryReportKinds: ReadonlySet<string> = new Set(restrictiveDecisionKinds);

export function emptySummary(schoolId: string, eventId: string): NotificationSummary {
  return { schoolId, eventId, decisions: 0, outcomes: { sent: 0, suppressed: 0, duplicate: 0, retryable: 0, rejected: 0 }, reasons: {} };
}

export function count(summary: NotificationSummary, outcome: DecisionOutcome, reason?: string) {
  summary.decisions++;
  summary.outcomes[outcome]++;
  if (outcome === 'suppressed' && reason) summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
}

export async function loadContext(detail: StoredEventDetail, deps: NotificationDeps): Promise<{ school: SchoolProfile; record: StoredItem }> {
  const [school, record] = await Promise.all([deps.schools.get(detail.schoolId), deps.notificationReads.storedRecord(detail.key)]);
  // Both are written before the event reaches the bus: missing means something is wrong,
  // so the event fails (and is retried, then dead-lettered) rather than silently dropped.
  if (!school) throw new NotificationInputError(`no school ${detail.schoolId} for event ${detail.eventId}`);
  if (!record) throw new NotificationInputError(`stored record of event ${detail.eventId} not found`);
  return { school, record };
}

/** Sends one claimed message and records the result. */
export async function send(
  deps: NotificationDeps,
  item: NotificationDecisionItem,
  message: { to: string[]; subject: string; text: string; html: string },
): Promise<DecisionOutcome> {
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ ...message, category: item.category }));
  } catch (error) {
    const errorName = (error as Error)?.name ?? 'Error';
    const permanent = error instanceof PermanentMailError || errorName === 'PermanentMailError';
    await deps.notifications.markFailed(item, {
      status: permanent ? 'rejected' : 'retryable',
      errorName,
      ...(permanent ? { reason: 'mail-rejected' as const } : {}),
      failedAt: deps.clock.now().toISOString(),
    });
    return permanent ? 'rejected' : 'retryable';
  }
  await deps.notifications.markSent(item, { messageId, sentAt: deps.clock.now().toISOString() }, messageId ? sentMessageOf(item, messageId) : undefined);
  return 'sent';
}

export function sentMessageOf(item: NotificationDecisionItem, messageId: string): SentMessage {
  return {
    messageId,
    decisionKey: { pk: item.pk, sk: item.sk },
    schoolId: item.schoolId,
    pupilId: item.pupilId,
    eventId: item.eventId,
    eventType: item.eventType,
    week: item.week,
    category: item.category,
    recipientContactId: item.recipient.contactId,
    expiresAt: item.expiresAt,
  };
}

/** Parent/carer notifications for one stored event (notify-parents). */
export async function notifyParentsOfEvent(detail: StoredEventDetail, deps: NotificationDeps): Promise<NotificationSummary> {
  const { school, record } = await loadContext(detail, deps);
  const now = deps.clock.now();
  const pupilIds = pupilIdsOfRecord(record);
  const profileItems = await Promise.all(pupilIds.map((pupilId) => deps.notificationReads.pupilProfile(detail.schoolId, pupilId)));
  const profiles = new Map<string, PupilProfile | undefined>(
    pupilIds.map((pupilId, index) => [pupilId, profileItems[index] ? toPupilProfile(profileItems[index]) : undefined]),
  );
  let interventionKind: string | undefined;
  if (detail.type === 'intervention.ended' && pupilIds[0]) {
    const interventionId = (record.data as { interventionId?: string } | undefined)?.interventionId;
    if (interventionId) interventionKind = await deps.notificationReads.interventionKind(detail.schoolId, pupilIds[0], interventionId);
  }

  // Decided here, as late as possible, from every version stored by now: an amendment that
  // leaves the flag out is routed here by the bus, and must still be safeguarding.
  const incidentId =
    detail.type === 'incident.recorded' || detail.type === 'restorative.session.recorded'
      ? (record.data as { incidentId?: string } | undefined)?.incidentId
      : undefined;
  const incidentSafeguarding = incidentId ? anySafeguarding(await deps.notificationReads.incidentVersions(detail.schoolId, incidentId)) : false;

  const toldOfAbsence = correctedAbsenceCode(record) ? await contactsToldOfAbsence(detail.schoolId, record, profiles, deps) : undefined;

  const planned = decideParentNotifications({
    eventId: detail.eventId,
    type: detail.type,
    record,
    profiles,
    today: dateInZone(now, school.timezone),
    interventionKind: interventionKind as InterventionKind | undefined,
    incidentSafeguarding,
    ...(toldOfAbsence ? { toldOfAbsence } : {}),
  });

  const context = decisionContext(detail, school, now, 'parent-notification');
  const summary = emptySummary(detail.schoolId, detail.eventId);
  for (const decision of planned) {
    const { outcome, reason } = await carryOut(decision, context, school, deps);
    count(summary, outcome, reason);
  }
  // The DSL sees every version of a safeguarding incident, amendments without the flag too.
  if (detail.type === 'incident.recorded' && incidentSafeguarding && !isSafeguardingConcern(record)) {
    const alerted = await alertDsl(detail, deps, school, record);
    for (const [outcome, times] of Object.entries(alerted.outcomes)) for (let n = 0; n < times; n++) count(summary, outcome as DecisionOutcome);
    summary.toLeaders = alerted.toLeaders;
  }
  return summary;
}

/** The contacts sent the day's absence notice about this very mark (one of its eventIds): GetItem per contact. */
async function contactsToldOfAbsence(
  schoolId: string,
  record: StoredItem,
  profiles: Map<string, PupilProfile | undefined>,
  deps: NotificationDeps,
): Promise<Set<string>> {
  const pupilId = String(record.pupilId);
  const markEvents = new Set([...((record.eventIds as Iterable<string> | undefined) ?? [])].map(String));
  const told = new Set<string>();
  for (const person of profiles.get(pupilId)?.contacts ?? []) {
    const decision = await deps.notificationReads.storedRecord(notificationKey(schoolId, pupilId, absenceDedupKey(String(record.date)), person.contactId));
    if (decision?.status === 'sent' && markEvents.has(String(decision.eventId))) told.add(person.contactId);
  }
  return told;
}

async function carryOut(
  decision: PlannedDecision,
  context: DecisionContext,
  school: SchoolProfile,
  deps: NotificationDeps,
): Promise<{ outcome: DecisionOutcome; reason?: string }> {
  const item = decisionItem(context, decision, decision.action === 'send' ? 'sending' : 'suppressed');
  const claim = await deps.notifications.claim(item);
  if (!claim.claimed) {
    // Same dedup key, another event: a first-day absence another mark already claimed today.
    // Recorded for this event too (idempotently), so its audit trail is complete.
    if (decision.action === 'send' && decision.dedupKey !== context.eventId && claim.existing.eventId !== context.eventId) {
      const reason = 'already-notified-today' as const;
      const audit = decisionItem(context, { ...decision, dedupKey: context.eventId, reason }, 'suppressed');
      const recorded = await deps.notifications.claim(audit);
      return recorded.claimed ? { outcome: 'suppressed', reason } : { outcome: 'duplicate' };
    }
    return { outcome: 'duplicate' };
  }
  if (decision.action === 'suppress') return { outcome: 'suppressed', reason: decision.reason };
  const message = parentMessage(decision.notice!, school);
  return { outcome: await send(deps, item, { to: [decision.recipient.email!], ...message }) };
}

/** A safeguarding concern to the school's DSL, or its leaders when none is configured (alert-dsl). */
export async function alertDslOfEvent(detail: StoredEventDetail, deps: NotificationDeps): Promise<NotificationSummary> {
  const { school, record } = await loadContext(detail, deps);
  const incidentId = (record.data as { incidentId?: string } | undefined)?.incidentId;
  const sticky =
    record.type === 'incident.recorded' &&
    incidentId !== undefined &&
    anySafeguarding(await deps.notificationReads.incidentVersions(detail.schoolId, incidentId));
  if (!isSafeguardingConcern(record) && !sticky) return { ...emptySummary(detail.schoolId, detail.eventId), ignored: true };
  return alertDsl(detail, deps, school, record);
}

/** One DSL alert for a stored incident already judged to be safeguarding. */
async function alertDsl(detail: StoredEventDetail, deps: NotificationDeps, school: SchoolProfile, record: StoredItem): Promise<NotificationSummary> {
  const summary = emptySummary(detail.schoolId, detail.eventId);
  const pupilId = pupilIdsOfRecord(record)[0] ?? detail.pupilIds[0];
  if (!pupilId) throw new NotificationInputError(`event ${detail.eventId} names no pupil`);
  const profileItem = await deps.notificationReads.pupilProfile(detail.schoolId, pupilId);
  const alert = dslAlertFor(detail.eventId, record, pupilId, profileItem ? toPupilProfile(profileItem) : undefined);
  const context = decisionContext(detail, school, deps.clock.now(), 'dsl-alert');
  return sendDslAlert({ context, school, deps, summary, pupilId, kind: 'dsl-alert', message: (toLeaders) => dslAlertMessage(alert, school, { toLeaders }) });
}

/** One alert per event to the DSL (or the leaders when none is configured), claimed under the recipient key `dsl`. */
export async function sendDslAlert(input: {
  context: DecisionContext;
  school: SchoolProfile;
  deps: NotificationDeps;
  summary: NotificationSummary;
  pupilId: string;
  kind: NotificationKind;
  message: (toLeaders: boolean) => { subject: string; text: string; html: string };
}): Promise<NotificationSummary> {
  const { context, school, deps, summary, pupilId, kind } = input;
  const { recipient, to, reason } = dslRecipient(school);
  const toLeaders = recipient.contactId === 'leaders';
  const item = decisionItem(context, { pupilId, kind, dedupKey: context.eventId, recipient, ...(reason ? { reason } : {}) }, 'sending', dslDecisionRecipient);
  const claim = await deps.notifications.claim(item);
  if (!claim.claimed) {
    count(summary, 'duplicate');
    return { ...summary, toLeaders };
  }
  count(summary, await send(deps, item, { to, ...input.message(toLeaders) }));
  return { ...summary, toLeaders };
}
