import type { FuzzCase } from './cases';

/**
 * Checking an answer: what a case is sure of (its status, a valid event accepted, a broken one
 * rejected at its path), and otherwise the invariants: never a 5xx, one result per event in
 * order, a non-empty path and message in every error, the status matching the results, and
 * no rejected event stored.
 */

export interface Answer {
  status: number;
  body: any;
}

export interface CaseTally {
  cases: number;
  byStatus: Record<number, number>;
  events: number;
  accepted: number;
  duplicate: number;
  rejected: number;
}

export const newTally = (): CaseTally => ({ cases: 0, byStatus: {}, events: 0, accepted: 0, duplicate: 0, rejected: 0 });

/**
 * Everything a case can say about its answer. `stored` is the set of eventIds the store
 * recorded for this case (in-memory), or undefined (checked for the whole run instead).
 */
export function checkAnswer(fuzzCase: FuzzCase, answer: Answer, tally: CaseTally, stored?: Set<string>): void {
  const fail = (message: string): never => {
    throw new Error(`${message}\n  case: ${fuzzCase.describe}\n  answer: ${JSON.stringify(answer).slice(0, 600)}`);
  };
  tally.cases++;
  tally.byStatus[answer.status] = (tally.byStatus[answer.status] ?? 0) + 1;
  if (answer.status >= 500) fail(`a ${answer.status} for bad input`);
  if (!answer.body || typeof answer.body !== 'object') fail('the answer has no JSON body');
  if (fuzzCase.expectStatus && !fuzzCase.expectStatus.includes(answer.status)) fail(`expected ${fuzzCase.expectStatus.join(' or ')}`);
  if (![200, 207, 400, 401, 413, 415, 422, ...(fuzzCase.expectStatus ?? [])].includes(answer.status)) fail('a status the contract does not have');
  if (answer.status !== 200 && answer.status !== 207 && answer.status !== 422) {
    if (typeof answer.body.error !== 'string' || answer.body.error === '') fail('an error answer without an error message');
    if ('results' in answer.body) fail('an error answer with results');
    return;
  }
  const items = fuzzCase.body.items;
  if (!items) fail('results for a body that has no events');
  const results = answer.body.results as { eventId: string; status: string; errors?: { path: string; message: string }[] }[];
  if (!Array.isArray(results) || results.length !== items!.length) fail(`${results?.length} results for ${items!.length} events`);
  const rejected = results.filter((result) => result.status === 'rejected').length;
  const expected = rejected === 0 ? 200 : rejected === results.length ? 422 : 207;
  if (answer.status !== expected) fail(`status ${answer.status} but ${rejected} of ${results.length} rejected`);
  const accepted = new Set<string>();
  results.forEach((result, index) => {
    const item = items![index]!;
    tally.events++;
    if (result.status === 'accepted' || result.status === 'duplicate') {
      tally[result.status]++;
      if (!fuzzCase.body.tampered && result.eventId !== item.eventId) fail(`result ${index} is for ${result.eventId}, the event is ${String(item.eventId)}`);
      if (result.errors) fail(`result ${index} is ${result.status} with errors`);
      if (item.verdict === 'invalid') fail(`event ${index} (broken at ${item.path}) was ${result.status}`);
      if (result.status === 'accepted') accepted.add(result.eventId);
    } else if (result.status === 'rejected') {
      tally.rejected++;
      if (item.verdict === 'valid') fail(`valid event ${index} rejected: ${JSON.stringify(result.errors)}`);
      if (!Array.isArray(result.errors) || result.errors.length === 0) fail(`rejected event ${index} without errors`);
      for (const error of result.errors!) {
        if (typeof error.path !== 'string' || error.path === '') fail(`rejected event ${index} with an empty path`);
        if (typeof error.message !== 'string' || error.message === '') fail(`rejected event ${index} with an empty message`);
      }
      if (item.path && !result.errors!.some((error) => error.path === item.path || error.path.startsWith(`${item.path}.`))) {
        fail(`event ${index} broken at ${item.path}, errors at ${result.errors!.map((error) => error.path).join(', ')}`);
      }
      const expectedId = typeof item.eventId === 'string' ? item.eventId.slice(0, 128) : '';
      if (!fuzzCase.body.tampered && result.eventId !== expectedId)
        fail(`rejected result ${index} names ${JSON.stringify(result.eventId)}, expected ${JSON.stringify(expectedId)}`);
    } else fail(`result ${index} has status ${result.status}`);
  });
  // In-batch copies of one valid event: exactly one accepted. (Not when the bytes were tampered
  // with: the copies may then differ, and a mark is idempotent per pupil, date and session.)
  if (fuzzCase.body.tampered) return checkStored(fuzzCase, accepted, stored, fail);
  const copies = new Map<unknown, string[]>();
  results.forEach((result, index) => copies.set(items![index]!.eventId, [...(copies.get(items![index]!.eventId) ?? []), result.status]));
  for (const [eventId, statuses] of copies) {
    if (statuses.length > 1 && statuses.every((status) => status !== 'rejected') && statuses.filter((status) => status === 'accepted').length !== 1) {
      fail(`copies of ${String(eventId)} answered ${statuses.join(', ')}`);
    }
  }
  checkStored(fuzzCase, accepted, stored, fail);
}

function checkStored(_fuzzCase: FuzzCase, accepted: Set<string>, stored: Set<string> | undefined, fail: (message: string) => never) {
  if (!stored) return;
  for (const eventId of accepted) if (!stored.has(eventId)) fail(`${eventId} answered accepted but not stored`);
  for (const eventId of stored) if (!accepted.has(eventId)) fail(`${eventId} stored but not answered accepted`);
}
