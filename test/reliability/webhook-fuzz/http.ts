import fc from 'fast-check';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { trackerEvent } from '../../../events/catalogue';
import type { TableRef } from '../../../shared/adapters/aws/dynamodb';
import { isoWeekOf } from '../../../shared/domain/calendar';
import { attendanceMarkKey, journalKey } from '../../../shared/domain/keys';
import { planWrite } from '../../../shared/domain/records';
import { type Answer, checkAnswer, newTally } from './answers';
import { caseArbitrary, type FuzzCase, type Secrets } from './cases';
import { fuzzSchool, type RawEvent } from './events';

/** The real driver: cases over HTTP against the local stack and DynamoDB Local, then the table checked against the answers. */

export interface HttpTarget {
  url: string;
  table: TableRef;
  now: () => Date;
  secrets: Secrets;
  otherSchoolSecret: string;
}

/** Sends a case as an MIS would; `undefined` when HTTP cannot carry it (a header fetch refuses). */
async function sendCase(url: string, fuzzCase: FuzzCase): Promise<Answer | undefined> {
  // HTTP drops a header value's surrounding whitespace (RFC 9110 OWS): that case means nothing here.
  if (fuzzCase.signatureKind === 'trailing space') return undefined;
  const headers: Record<string, string> = {};
  if (fuzzCase.request.contentType !== undefined) headers['content-type'] = fuzzCase.request.contentType;
  if (fuzzCase.request.timestamp !== undefined) headers['x-tracker-timestamp'] = fuzzCase.request.timestamp;
  if (fuzzCase.request.signature !== undefined) headers['x-tracker-signature'] = fuzzCase.request.signature;
  let response: Response;
  try {
    response = await fetch(`${url}/v1/schools/${encodeURIComponent(fuzzCase.request.schoolId)}/events`, {
      method: 'POST',
      headers,
      body: fuzzCase.request.body,
    });
  } catch (error) {
    // A header value fetch will not send (not a ByteString, a NUL): nothing reached the server.
    if (error instanceof TypeError && !(error as { cause?: unknown }).cause) return undefined;
    throw error;
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body };
}

/** Every eventId the table holds for the fuzz school, wherever it is kept (test oracle: a Scan). */
export async function storedEventIds(table: TableRef, schoolId = fuzzSchool.schoolId): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      if (item.schoolId !== schoolId || !String(item.pk).startsWith(`SCHOOL#${schoolId}#`)) continue;
      if (item.recordKind === 'event' || item.recordKind === 'participant') ids.add(item.eventId);
      if (item.eventIds instanceof Set) for (const eventId of item.eventIds) ids.add(eventId);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Runs `runs` cases over HTTP; afterwards the table must hold exactly the events answered
 * `accepted` (none of the rejected ones, nothing else).
 */
export async function fuzzOverHttp(target: HttpTarget, runs: number, seed?: number) {
  const tally = newTally();
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  const sent = new Map<string, { event: unknown; tampered: boolean }>();
  let unsendable = 0;
  await fc.assert(
    fc.asyncProperty(caseArbitrary(target.now, target.secrets, target.otherSchoolSecret), async (fuzzCase) => {
      const answer = await sendCase(target.url, fuzzCase);
      if (!answer) {
        unsendable++;
        return;
      }
      checkAnswer(fuzzCase, answer, tally);
      for (const item of fuzzCase.body.items ?? [])
        if (typeof item.eventId === 'string') sent.set(item.eventId, { event: item.event, tampered: fuzzCase.body.tampered === true });
      for (const result of (answer.body as { results?: { eventId: string; status: string }[] }).results ?? []) {
        if (result.status === 'accepted') accepted.add(result.eventId);
        if (result.status === 'rejected' && result.eventId) rejected.add(result.eventId);
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const stored = await storedEventIds(target.table);
  const rejectedAndStored = [...rejected].filter((eventId) => stored.has(eventId) && !accepted.has(eventId));
  const storedNotAccepted = [...stored].filter((eventId) => !accepted.has(eventId));
  // Each accepted event where it must be, by GetItem (exact, whatever a Scan's paging does).
  const acceptedNotStored: string[] = [];
  let missedByScan = 0;
  let expiredOnArrival = 0;
  for (const eventId of accepted) {
    const { event: sentEvent, tampered } = sent.get(eventId)!;
    const event = sentEvent as RawEvent;
    // Past its retention when it arrived (a roster update from 2021 keeps its receipt 3 years):
    // accepted, then deleted by TTL, which DynamoDB Local runs too. Nothing to find.
    const parsed = trackerEvent.safeParse(event);
    if (parsed.success) {
      const plan = planWrite(parsed.data, fuzzSchool, target.now());
      const item = plan.kind === 'mark' ? plan.mark.attributes : plan.journal;
      if ((item.expiresAt as number) * 1000 < Date.now()) {
        expiredOnArrival++;
        continue;
      }
    }
    // Invalid UTF-8 was spliced into this body: what was stored is not what `event` says (a
    // mark's pupil may differ), so only the Scan can say where it is.
    if (tampered || !parsed.success) {
      if (!stored.has(eventId)) acceptedNotStored.push(`${eventId} (tampered body)`);
      continue;
    }
    const data = event.data as Record<string, string>;
    const key =
      event.type === 'attendance.marked'
        ? attendanceMarkKey(fuzzSchool.schoolId, isoWeekOf(data.date!), event.pupilId as string, data.date!, data.session!)
        : journalKey(fuzzSchool.schoolId, eventId);
    const { Item } = await target.table.client.send(new GetCommand({ TableName: target.table.tableName, Key: key, ConsistentRead: true }));
    const found = event.type === 'attendance.marked' ? (Item?.eventIds as Set<string> | undefined)?.has(eventId) === true : Item?.eventId === eventId;
    if (!found) acceptedNotStored.push(`${eventId}: ${JSON.stringify(event).slice(0, 2_000)}`);
    else if (!stored.has(eventId)) missedByScan++;
  }
  return {
    tally,
    unsendable,
    accepted: accepted.size,
    rejected: rejected.size,
    stored: stored.size,
    expiredOnArrival,
    missedByScan,
    rejectedAndStored,
    acceptedNotStored,
    storedNotAccepted,
  };
}

/** School ids as URL path segments: malformed escapes, traversal, encodings, length. Never a 5xx. */
export const pathSegments = fc.oneof(
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%ZZ',
    '%00',
    '%2F',
    '..%2Ffuzz',
    '%2e%2e',
    'fuzz%23EVENT',
    'fuzz%20',
    '%F0%9F%98%80',
    'x'.repeat(3_000),
    '%C0%AF',
    'fuzz;x',
    'fuzz?x=1',
    'FUZZ',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map((value) => encodeURIComponent(value)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 }).filter((value) => !/[/?#]/.test(value)),
);
