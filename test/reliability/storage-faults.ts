import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerLedger, pauseProcess, postUntilAnswered, StorageFaults, until, withDeadline, type Answer } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';
import { chunk, mixedEvents, verifyStoredExactlyOnce, type ContractEvent } from './workload';

/**
 * Storage faults while batches are being posted (contract section 3: a 5xx acknowledges
 * nothing; the sender retries the whole request and loses nothing):
 * - the storage port throttles (before a write) or fails after a write succeeded (ack lost);
 * - DynamoDB Local's JVM is paused (SIGSTOP) mid-flow, then resumed.
 * Afterwards every event is stored exactly once and no eventId was ever answered
 * `accepted` twice, across all attempts of all senders.
 *
 * `npm test` runs these at a small scale (test/integration/reliability-storage-faults.test.ts),
 * `npm run test:reliability` at full scale (test/reliability/storage-faults.test.ts).
 */
export interface StorageFaultScale {
  name: string;
  /** Senders per school (two schools), events per sender, events per request. */
  sendersPerSchool: number;
  eventsPerSender: number;
  batchSize: number;
  /** Faults injected at the storage port; `minimum` of each kind must have happened. */
  plan: { throttleEvery: number; ackLostEvery: number; maxFaults: number; minimum: number };
  /** 5xx answers to see during the SIGSTOP before resuming. */
  stall503s: number;
  timeoutMs: number;
}

interface Sender {
  schoolId: string;
  secret: string;
  events: ContractEvent[];
}

interface RunFigures {
  events: number;
  batches: number;
  requests: number;
  answers5xx: number;
  slowestAnswerMs: number;
  ms: number;
}

/** Each sender posts its batches one after another; senders run concurrently. */
async function runSenders(stack: TestStack, senders: Sender[], batchSize: number, ledger: AnswerLedger, onAnswer?: (answer: Answer) => void) {
  const started = performance.now();
  const finals: Answer[] = [];
  let requests = 0;
  let answers5xx = 0;
  let slowestAnswerMs = 0;
  await Promise.all(
    senders.map(async (sender) => {
      for (const events of chunk(sender.events, batchSize)) {
        const answers = await postUntilAnswered(() => stack.post(sender.schoolId, sender.secret, { events }), {
          onAnswer: (answer) => {
            requests++;
            if (answer.status >= 500) answers5xx++;
            slowestAnswerMs = Math.max(slowestAnswerMs, answer.ms);
            if (answer.status < 500) ledger.record(sender.schoolId, answer.body?.results);
            else expect(answer.body?.results, 'a 5xx acknowledges nothing').toBeUndefined();
            onAnswer?.(answer);
          },
        });
        finals.push(answers.at(-1)!);
      }
    }),
  );
  const figures: RunFigures = {
    events: senders.reduce((sum, sender) => sum + sender.events.length, 0),
    batches: finals.length,
    requests,
    answers5xx,
    slowestAnswerMs: Math.round(slowestAnswerMs),
    ms: Math.round(performance.now() - started),
  };
  return { finals, figures };
}

async function expectExactlyOnce(stack: TestStack, senders: Sender[], ledger: AnswerLedger) {
  const allIds = senders.flatMap((sender) => sender.events.map((event) => AnswerLedger.key(sender.schoolId, event.eventId)));
  expect(ledger.acceptedMoreThanOnce(), 'event ids answered accepted twice').toEqual([]);
  expect(ledger.neverAcknowledged(allIds), 'event ids never acknowledged').toEqual([]);
  const counts: Record<string, unknown> = {};
  for (const schoolId of new Set(senders.map((sender) => sender.schoolId))) {
    const schoolSenders = senders.filter((sender) => sender.schoolId === schoolId);
    const { problems, counts: stored } = await verifyStoredExactlyOnce(
      stack.adapters.table,
      schoolId,
      schoolSenders.flatMap((sender) => sender.events),
    );
    expect(problems, `${schoolId} storage`).toEqual([]);
    counts[schoolId] = stored;
  }
  return counts;
}

export function storageFaultTests(scale: StorageFaultScale) {
  describe(`storage port faults: throttling before the write, failure after it (ack lost) [${scale.name}]`, () => {
    const faults = new StorageFaults();
    let stack: TestStack;
    const senders: Sender[] = [];

    beforeAll(async () => {
      stack = await startTestStack({ wrapEvents: faults.wrap });
      for (const schoolId of ['oak', 'elm']) {
        const secret = await stack.addSchool({ schoolId });
        for (let n = 0; n < scale.sendersPerSchool; n++) {
          // Ids and pupils repeat across the two schools on purpose: the same eventId in two schools is two events.
          senders.push({ schoolId, secret, events: mixedEvents({ prefix: `s${n}`, pupilPrefix: `P${n}-`, count: scale.eventsPerSender, seed: n + 1 }) });
        }
      }
    });
    afterAll(() => stack?.cleanup());

    it(
      'answers 503 or 200; after whole-request retries every event is stored once and accepted at most once',
      async () => {
        const ledger = new AnswerLedger();
        const { minimum, ...plan } = scale.plan;
        faults.plan = plan;
        const { finals, figures } = await runSenders(stack, senders, scale.batchSize, ledger);

        expect(finals.map((answer) => answer.status)).toEqual(finals.map(() => 200));
        expect(faults.throttled.length, 'throttles injected').toBeGreaterThanOrEqual(minimum);
        expect(faults.ackLost.length, 'lost acknowledgements injected').toBeGreaterThanOrEqual(minimum);
        expect(figures.answers5xx).toBeGreaterThan(0);
        // A lost acknowledgement of a write that stored the event: no answer may ever say `accepted`
        // for it (the retry says duplicate). (A 503 goes out at the first failure while the request's
        // other writes finish in the background, so a retry may store an event first: then the
        // background write is the duplicate, and its lost acknowledgement loses nothing.)
        const lostAccepts = faults.ackLost.filter((lost) => lost.outcome === 'accepted');
        expect(lostAccepts.length).toBeGreaterThan(0);
        for (const { key } of lostAccepts) expect(ledger.count(key, 'accepted'), key).toBe(0);

        const counts = await expectExactlyOnce(stack, senders, ledger);
        await stack.flush();
        console.info(
          `[figures] storage port faults [${scale.name}]`,
          JSON.stringify({
            ...figures,
            throttled: faults.throttled.length,
            ackLost: faults.ackLost.length,
            storeCalls: faults.calls,
            accepted: ledger.total('accepted'),
            duplicate: ledger.total('duplicate'),
            counts,
          }),
        );
      },
      scale.timeoutMs,
    );
  });

  describe(`DynamoDB Local stalls (SIGSTOP) while batches are posted, then resumes (SIGCONT) [${scale.name}]`, () => {
    let stack: TestStack;
    const senders: Sender[] = [];
    const storageTimeoutMs = 1_000;

    beforeAll(async () => {
      stack = await startTestStack({ storageTimeoutMs });
      for (const schoolId of ['oak', 'elm']) {
        const secret = await stack.addSchool({ schoolId });
        for (let n = 0; n < scale.sendersPerSchool; n++) {
          senders.push({ schoolId, secret, events: mixedEvents({ prefix: `z${n}`, pupilPrefix: `Q${n}-`, count: scale.eventsPerSender, seed: 100 + n }) });
        }
      }
    });
    afterAll(() => stack?.cleanup());

    it(
      'the webhook answers 503 during the stall (no hang); after resume and retries nothing is lost or doubled',
      async () => {
        const ledger = new AnswerLedger();
        let answered = 0;
        let failedDuringStall = 0;
        let stall: { resume: () => void } | undefined;
        const run = runSenders(stack, senders, scale.batchSize, ledger, (answer) => {
          answered++;
          if (stall && answer.status >= 500) failedDuringStall++;
        });
        let stallMs = 0;
        try {
          // Mid-flow: some batches answered, others in flight.
          await until(() => answered >= 2, 'the first answers');
          const pausedAt = performance.now();
          stall = pauseProcess(stack.dynamodbPid);
          // The webhook must answer (503) while storage hangs, rather than hang with it.
          await until(() => failedDuringStall >= scale.stall503s, '503 answers while DynamoDB Local is stopped', 60_000);
          stallMs = Math.round(performance.now() - pausedAt);
        } finally {
          stall?.resume();
        }
        const { finals, figures } = await run;

        expect(finals.map((answer) => answer.status)).toEqual(finals.map(() => 200));
        expect(figures.answers5xx).toBeGreaterThanOrEqual(scale.stall503s);
        // Per attempt the SDK gives up after storageTimeoutMs of silence, 3 attempts in all, then the webhook says 503.
        expect(figures.slowestAnswerMs).toBeLessThan(29_000);
        const counts = await expectExactlyOnce(stack, senders, ledger);
        // The stream poller recovers too: everything stored reaches the bus.
        const flushMs = await withDeadline(stack.flush(), 60_000, 'the stream to drain after the stall');
        console.info(
          `[figures] SIGSTOP stall [${scale.name}]`,
          JSON.stringify({
            ...figures,
            stallMs,
            storageTimeoutMs,
            failedDuringStall,
            flushMs,
            accepted: ledger.total('accepted'),
            duplicate: ledger.total('duplicate'),
            counts,
          }),
        );
      },
      scale.timeoutMs,
    );
  });
}
