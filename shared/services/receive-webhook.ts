import { parseEvent, webhookBody, type FieldError, type TrackerEvent } from '../../events/catalogue';
import { weeksToMarkChanged } from '../domain/changed-weeks';
import { planWrite, type WritePlan } from '../domain/records';
import { verifySignature } from '../domain/signature';
import { mapWithConcurrency } from '../util/concurrency';
import type { Clock, EventStore, SchoolDirectory, StoreOutcome, WebhookSecretStore } from '../ports';
import { schoolIdPattern } from './schools';

/** Contract section 3: `POST /v1/schools/{schoolId}/events`, independent of any HTTP framework. */
export interface WebhookRequest {
  schoolId: string;
  contentType: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
}

export interface EventResult {
  eventId: string;
  status: StoreOutcome | 'rejected';
  errors?: FieldError[];
}

export type WebhookResponse = { status: 200 | 207 | 422; body: { results: EventResult[] } } | { status: 400 | 401 | 413 | 415; body: { error: string } };

export const maxBodyBytes = 1024 * 1024;
/** Writes in flight per request: enough to hide latency, few enough not to starve other requests. */
const writeConcurrency = 32;

export interface WebhookDependencies {
  schools: SchoolDirectory;
  secrets: WebhookSecretStore;
  events: EventStore;
  clock: Clock;
}

const error = <S extends 400 | 401 | 413 | 415>(status: S, message: string) => ({ status, body: { error: message } });

export function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * DynamoDB limits that an event valid under the catalogue can still exceed. Such an event
 * would fail on every retry (a 503 the sender can never get past), so it is rejected instead.
 * Item size: 400 KB with attribute names; JSON's length over-estimates it, hence the margin.
 */
export const maxStoredItemBytes = 380_000;
const smallestStorableNumber = 1e-130;

function firstNumber(value: unknown, path: string, test: (n: number) => boolean): string | undefined {
  if (typeof value === 'number') return test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = firstNumber(child, `${path}.${key}`, test);
    if (found) return found;
  }
  return undefined;
}

/** Where the date an event is filed under comes from (shared/domain/records.ts, eventDate). */
const datePath: Record<TrackerEvent['type'], string> = {
  'attendance.marked': 'data.date',
  'intervention.session.recorded': 'data.date',
  'restorative.session.recorded': 'data.date',
  'intervention.started': 'data.startDate',
  'intervention.ended': 'data.endDate',
  'pupil.upserted': 'occurredAt',
  'incident.recorded': 'data.happenedAt',
  'restrictive.intervention.recorded': 'data.startedAt',
  'outcome.measure.recorded': 'data.date',
};

function storageLimitError(event: TrackerEvent, plan: WritePlan): FieldError | undefined {
  // A date outside the years 1000..9999 (RFC 3339 and YYYY-MM-DD allow 0000, and an offset
  // can push 9999-12-31 into 10000) has no YYYY-MM-DD or YYYY-Www to be filed under: the
  // event would be stored where no weekly view ever looks.
  const { date, week } = (plan.kind === 'mark' ? plan.mark.attributes : plan.journal) as { date: string; week: string };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{4}-W\d{2}$/.test(week)) {
    const path = event.type === 'incident.recorded' && !event.data.happenedAt ? 'occurredAt' : datePath[event.type];
    return { path, message: "must be a date in the years 1000 to 9999 (in the school's timezone)" };
  }
  const tiny = firstNumber(event.data, 'data', (n) => n !== 0 && Math.abs(n) < smallestStorableNumber);
  if (tiny) return { path: tiny, message: 'must be 0 or at least 1e-130 in magnitude' };
  const items = plan.kind === 'mark' ? [plan.mark.attributes] : [plan.journal, ...plan.participants, ...(plan.profile ? [plan.profile.attributes] : [])];
  if (items.some((item) => Buffer.byteLength(JSON.stringify(item), 'utf8') > maxStoredItemBytes)) {
    return { path: 'data', message: `is too large: one event may hold at most ${maxStoredItemBytes} bytes` };
  }
  return undefined;
}

/**
 * After the records are stored, and before the answer: the weeks they land in that may
 * already be rolled up, and for an incident every week its versions are filed under (a
 * version filed elsewhere may now be superseded). Duplicates count too, so a retry after a
 * failed mark still marks. A failure here answers 5xx; the retry marks again.
 */
async function markChangedWeeks(schoolId: string, plans: WritePlan[], deps: { events: EventStore }, now: Date): Promise<void> {
  const weeks = plans.map((plan) => String((plan.kind === 'mark' ? plan.mark.attributes : plan.journal).week));
  const incidentIds = [...new Set(plans.flatMap((plan) => (plan.kind === 'journal' && plan.incidentVersion ? [String(plan.incidentVersion.incidentId)] : [])))];
  const versionWeeks = await mapWithConcurrency(incidentIds, 8, (incidentId) => deps.events.incidentWeeks(schoolId, incidentId));
  const changed = weeksToMarkChanged([...weeks, ...versionWeeks.flat()], now);
  if (changed.length > 0) await deps.events.markWeeksChanged(schoolId, changed, now);
}

/** What a caller other than the MIS adds (the staff API): who posted, and which types it may not post. */
export interface StoreOptions {
  /** Stored on each event as `recordedBy` (shared/domain/records.ts). */
  recordedBy?: string;
  /** A reason to reject an event of this type (path `type`), or undefined to accept it. */
  refuseType?: (type: string) => string | undefined;
}

/** Contract section 3's status for a batch: 200 all stored, 422 none, 207 some. */
export function batchAnswer(results: EventResult[]): { status: 200 | 207 | 422; body: { results: EventResult[] } } {
  const rejected = results.filter((result) => result.status === 'rejected').length;
  return { status: rejected === 0 ? 200 : rejected === results.length ? 422 : 207, body: { results } };
}

/**
 * The core every source of events shares (the webhook, the MIS connector): each raw event is
 * validated against the catalogue, checked against storage limits and stored once. Results
 * are in input order; a storage failure throws, and nothing after it is acknowledged. Then,
 * still before any answer, the weeks the records land in are marked changed (issue 11), so
 * a correction from any source re-folds the figures it affects.
 */
export async function storeEvents(
  rawEvents: readonly unknown[],
  context: { schoolId: string; timezone: string },
  deps: { events: EventStore },
  now: Date,
  options: StoreOptions = {},
): Promise<EventResult[]> {
  const stored: WritePlan[] = [];
  const results = await mapWithConcurrency([...rawEvents], writeConcurrency, async (raw): Promise<EventResult> => {
    const event = parseEvent(raw);
    // Checked before the rest, so an event of a refused type is refused whatever else is wrong.
    const type = (raw as { type?: unknown } | null)?.type;
    const refused = typeof type === 'string' ? options.refuseType?.(type) : undefined;
    if (refused) return { eventId: event.ok ? event.event.eventId : event.eventId, status: 'rejected', errors: [{ path: 'type', message: refused }] };
    if (!event.ok) return { eventId: event.eventId, status: 'rejected', errors: event.errors };
    const plan = planWrite(event.event, context, now, options.recordedBy);
    const tooBig = storageLimitError(event.event, plan);
    if (tooBig) return { eventId: event.event.eventId, status: 'rejected', errors: [tooBig] };
    const status = await deps.events.store(plan);
    stored.push(plan);
    return { eventId: event.event.eventId, status };
  });
  await markChangedWeeks(context.schoolId, stored, deps, now);
  return results;
}

/**
 * Checks in the order that leaks least: media type and size (cheap, no secrets), then the
 * signature over the raw bytes, and only then is the body parsed. A storage failure
 * throws, so the caller answers 5xx and the sender retries the whole request.
 */
export async function receiveWebhook(request: WebhookRequest, deps: WebhookDependencies): Promise<WebhookResponse> {
  if (!isJson(request.contentType)) return error(415, 'Content-Type must be application/json');
  if (request.body.length > maxBodyBytes) return error(413, 'body is over 1 MiB');
  // No school can have another id, and an over-long one would fail the key lookup with a 5xx.
  if (!schoolIdPattern.test(request.schoolId)) return error(401, 'signature does not match');

  const now = deps.clock.now();
  const [school, secrets] = await Promise.all([deps.schools.get(request.schoolId), deps.secrets.get(request.schoolId)]);
  const verify = (candidate: typeof secrets) =>
    // Unknown school and bad signature answer alike, so ids can't be probed.
    school && candidate
      ? verifySignature(candidate, request.timestamp, request.signature, request.body, now)
      : { ok: false as const, reason: 'signature does not match' };
  let check = verify(secrets);
  if (!check.ok && check.reason === 'signature does not match') {
    // The secret may have been rotated since it was cached. An unknown school reads again
    // too, so both cost the same store reads and take the same time, as well as answering
    // alike (the cache bounds how often an id is read fresh).
    check = verify(await deps.secrets.get(request.schoolId, { fresh: true }));
  }
  if (!check.ok) return error(401, check.reason);

  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch {
    return error(400, 'body is not valid JSON');
  }
  const shape = webhookBody.safeParse(parsed);
  if (!shape.success) return error(400, 'body must be {"events": [...]} with 1 to 500 events');

  return batchAnswer(await storeEvents(shape.data.events, { schoolId: request.schoolId, timezone: school!.timezone }, deps, now));
}
