import { performance } from 'node:perf_hooks';
import { addDays, dateInZone } from '../shared/domain/calendar';
import { sign } from '../shared/domain/signature';
import type { LocalStack } from '../infra/local/stack';
import { batchInsert, batchWrite } from './batch-write';
import { freshMarks, itemsOf, planOf, pupilsOf, rosterEvents, attendanceEvent, type ContractEvent } from './data';
import { random } from './synthetic';
import { itemSizeBytes, type Meter, type MeterSnapshot } from './meter';

export interface IngestFigure {
  concurrency: number;
  eventsPerSecond: number;
  storageCeilingPerSecond: number;
  ratio: number;
  /** The same items as conditional PartiQL INSERTs (25 a call): the ceiling for idempotent storage. */
  conditionalCeilingPerSecond: number;
  ratioToConditionalCeiling: number;
  /** Every round, in the order run (A/B/C/A/B/C…), for the spread. */
  rounds: Record<Side, number[]>;
  marksPerRound: number;
  /** Webhook requests answered 5xx (and re-sent, as the contract tells an MIS), over all rounds. */
  retried5xx: number;
  /** Fresh marks answered `duplicate`: only after the sender re-sent a request answered 5xx whose writes had landed (an SDK retry of a landed write answers `accepted`). */
  duplicateAnswers: number;
}

export const batchSize = 500;

export async function post(url: string, secret: string, body: string): Promise<{ status: number; json: any }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tracker-timestamp': timestamp, 'x-tracker-signature': sign(secret, timestamp, body) },
    body,
  });
  return { status: response.status, json: await response.json() };
}

export interface PostStats {
  requests: number;
  /** 5xx answers, each followed by re-sending the whole request (contract: nothing was acknowledged). */
  retries: number;
  /** Per-event answers over the final attempts. */
  statuses: Record<string, number>;
  /** ms from sending each request to its final answer. */
  latenciesMs: number[];
}

/**
 * Posts batches with `concurrency` requests in flight, as an MIS would: a 5xx is retried
 * (the whole request, after a short pause). Throws if an event is rejected (`expect:
 * 'acknowledged'`) or a request never gets a final answer.
 */
export async function postAll(
  stack: LocalStack,
  schoolId: string,
  secret: string,
  batches: ContractEvent[][],
  concurrency: number,
  expect: 'acknowledged' | 'any' = 'acknowledged',
): Promise<PostStats> {
  const url = `${stack.url}/v1/schools/${schoolId}/events`;
  const bodies = batches.map((events) => JSON.stringify({ events }));
  const stats: PostStats = { requests: bodies.length, retries: 0, statuses: {}, latenciesMs: [] };
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const sent = performance.now();
      for (let attempt = 1; ; attempt++) {
        const { status, json } = await post(url, secret, body);
        if (status >= 500 && attempt < 10) {
          stats.retries++;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        if (status !== 200 && (expect === 'acknowledged' || !json.results))
          throw new Error(`webhook answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
        for (const result of json.results as { status: string }[]) stats.statuses[result.status] = (stats.statuses[result.status] ?? 0) + 1;
        stats.latenciesMs.push(performance.now() - sent);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  return stats;
}

export const chunk = <T>(list: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
  return chunks;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export interface IngestOptions {
  concurrencies: number[];
  /** A/B pairs per concurrency. */
  pairs: number;
  marksPerRound: (concurrency: number) => number;
  progress: (line: string) => void;
}

/** Rounds so far in this process: each round's pupils are new, so every mark is a new write. */
let roundsRun = 0;

export type Side = 'webhook' | 'batchWrite' | 'conditionalInsert';
const sideLabels: Record<Side, string> = { webhook: 'A webhook          ', batchWrite: 'B BatchWriteItem   ', conditionalInsert: 'C INSERT-if-absent ' };

/**
 * One timed round of `marks` fresh marks: through the webhook (A), as plain BatchWriteItem
 * (B, the storage ceiling), or as PartiQL INSERTs 25 to a BatchExecuteStatement (C: the
 * cheapest write that is still conditional, which is what idempotent storage needs).
 */
export async function runRound(
  stack: LocalStack,
  schoolId: string,
  secret: string,
  side: Side,
  concurrency: number,
  marks: number,
): Promise<{ seconds: number; stats?: PostStats }> {
  const school = { schoolId, timezone: 'Europe/London' };
  // A school day four weeks ago: marks for earlier dates notify no one, so storage is what is timed.
  const date = addDays(dateInZone(new Date(), school.timezone), -28);
  const round = ++roundsRun;
  const events = freshMarks(schoolId, `R${round}-P`, marks, date, round);
  if (side === 'webhook') {
    const batches = chunk(events, batchSize);
    const started = performance.now();
    const stats = await postAll(stack, schoolId, secret, batches, concurrency);
    return { seconds: (performance.now() - started) / 1000, stats };
  }
  const now = new Date();
  const items = events.flatMap((event) => itemsOf(planOf(event, school, now)));
  const started = performance.now();
  await (side === 'batchWrite' ? batchWrite : batchInsert)(stack.adapters.table, items, concurrency);
  return { seconds: (performance.now() - started) / 1000 };
}

/**
 * Throughput: the signed webhook (A) against plain BatchWriteItem of the same items (B) and
 * conditional INSERTs of them (C), alternating A/B/C/A/B/C at each concurrency. Between rounds the stream and bus are drained,
 * so a round never pays for the one before.
 */
export async function measureIngest(stack: LocalStack, schoolId: string, secret: string, options: IngestOptions): Promise<IngestFigure[]> {
  const figures: IngestFigure[] = [];
  for (const concurrency of options.concurrencies) {
    const marksPerRound = options.marksPerRound(concurrency);
    const rounds: Record<Side, number[]> = { webhook: [], batchWrite: [], conditionalInsert: [] };
    let retries = 0;
    let duplicates = 0;
    for (let pair = 0; pair < options.pairs; pair++) {
      for (const side of ['webhook', 'batchWrite', 'conditionalInsert'] as const) {
        const { seconds, stats } = await runRound(stack, schoolId, secret, side, concurrency, marksPerRound);
        const perSecond = marksPerRound / seconds;
        rounds[side].push(perSecond);
        retries += stats?.retries ?? 0;
        duplicates += stats?.statuses.duplicate ?? 0;
        const notes = stats?.retries ? ` (${stats.retries} requests answered 5xx and were re-sent)` : '';
        options.progress(
          `  c=${String(concurrency).padStart(2)} ${sideLabels[side]} ${String(marksPerRound).padStart(6)} marks in ${seconds.toFixed(2)} s = ${perSecond.toFixed(0)}/s${notes}`,
        );
        await stack.flush();
      }
    }
    const eventsPerSecond = median(rounds.webhook);
    const storageCeilingPerSecond = median(rounds.batchWrite);
    const conditionalCeilingPerSecond = median(rounds.conditionalInsert);
    figures.push({
      concurrency,
      eventsPerSecond,
      storageCeilingPerSecond,
      ratio: eventsPerSecond / storageCeilingPerSecond,
      conditionalCeilingPerSecond,
      ratioToConditionalCeiling: eventsPerSecond / conditionalCeilingPerSecond,
      rounds,
      marksPerRound,
      retried5xx: retries,
      duplicateAnswers: duplicates,
    });
  }
  return figures;
}

export interface WriteCost {
  marks: number;
  /** Write requests (UpdateItem, PutItem, BatchWriteItem, …) per mark, derived records included. */
  writeRoundTripsPerEvent: number;
  wcuPerEvent: number;
  /** Every DynamoDB request (reads too) per mark. */
  requestsPerEvent: number;
  rcuPerEvent: number;
  /** WCU the responses reported, and the 1 WCU each failed conditional write is billed on AWS. */
  reportedWcu: number;
  failedConditionalWrites: number;
  /** Statements of a BatchExecuteStatement that failed (e.g. DuplicateItem) and were retried one at a time. */
  failedStatements: number;
  /** True when part of the WCU was computed from item sizes (DynamoDB Local reports none for BatchExecuteStatement). */
  wcuPartlyEstimated: boolean;
  requests: Record<string, number>;
  scenario: string;
  /** Median ms per 500-mark request, one in flight (the local webhook: a proxy for the Lambda's duration). */
  requestMs: number;
  /** Size of one stored mark by AWS rules (storage estimate). */
  markItemBytes: number;
}

/**
 * What a school day costs per mark, derived records included: a 1,000-pupil school with its
 * roster posts today's AM and PM registers (first-day absences among them, so parent
 * notifications run) in batches of 500, then the stream, bus and every target settle.
 */
export async function measureWriteCost(stack: LocalStack, meter: Meter, schoolId: string, secret: string, pupilCount: number): Promise<WriteCost> {
  const timezone = 'Europe/London';
  const today = dateInZone(new Date(), timezone);
  const pupils = pupilsOf(schoolId, pupilCount, 7);
  await postAll(stack, schoolId, secret, chunk(rosterEvents(schoolId, pupils, `${addDays(today, -1)}T06:00:00+00:00`, 8), batchSize), 4);
  await stack.flush();
  const rand = random(9);
  const marks = (['AM', 'PM'] as const).flatMap((session) =>
    pupils.map((pupil) =>
      attendanceEvent(
        schoolId,
        pupil.pupilId,
        today,
        session,
        rand() < 0.05 ? (['N', 'O', 'U', 'I', 'M'] as const)[Math.floor(rand() * 5)]! : rand() < 0.03 ? 'L' : '/',
        rand,
      ),
    ),
  );
  meter.reset();
  const latencies: number[] = [];
  for (const session of ['AM', 'PM']) {
    // The register is taken, then sent: one session at a time, like an MIS would.
    const stats = await postAll(
      stack,
      schoolId,
      secret,
      chunk(
        marks.filter((mark) => (mark.data as { session: string }).session === session),
        batchSize,
      ),
      1,
    );
    latencies.push(...stats.latenciesMs);
    await stack.flush();
  }
  const counts: MeterSnapshot = meter.snapshot();
  const wcu = counts.wcu + counts.failedConditionalWrites;
  return {
    scenario: `${pupilCount} pupils with roster, today's AM and PM registers (${marks.length} marks, ~5% N/O/U/I/M) in batches of ${batchSize}, stream and bus settled`,
    marks: marks.length,
    writeRoundTripsPerEvent: counts.writeRequests / marks.length,
    wcuPerEvent: wcu / marks.length,
    requestsPerEvent: (counts.writeRequests + counts.readRequests) / marks.length,
    rcuPerEvent: counts.rcu / marks.length,
    reportedWcu: counts.wcu,
    failedConditionalWrites: counts.failedConditionalWrites,
    failedStatements: counts.failedStatements,
    wcuPartlyEstimated: counts.estimatedWcu,
    requests: counts.requests,
    requestMs: median(latencies),
    markItemBytes: itemSizeBytes(itemsOf(planOf(marks[0]!, { schoolId, timezone }, new Date()))[0]!),
  };
}
