import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendancePartition } from '../../shared/domain/keys';
import { AnswerLedger } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';
import { chunk, mixedEvents, random, verifyStoredExactlyOnce, type ContractEvent } from './workload';

/**
 * Concurrency and load on the real local stack (HTTP → webhook → DynamoDB Local):
 * - 50 concurrent senders × 100 events (10% duplicates of other senders' events) across
 *   three schools whose eventIds and pupilIds deliberately collide: exact counts per school,
 *   each event accepted exactly once over all answers;
 * - a registration-period burst: 5,000 marks as 10 batches of 500 at once, no 5xx.
 *
 * Full scale in `npm run test:reliability` (test/reliability/concurrency.test.ts); a smaller
 * one in `npm test` (test/integration/reliability-concurrency.test.ts).
 */
export interface ConcurrencyScale {
  name: string;
  senders: number;
  /** Per sender: this many events, a tenth of them copies of other senders' events. */
  eventsPerSender: number;
  batchSize: number;
  burstBatches: number;
  timeoutMs: number;
}
const schools = ['oak', 'elm', 'ash'] as const;

export function concurrencyTests(scale: ConcurrencyScale) {
  describe(`${scale.senders} concurrent senders × ${scale.eventsPerSender} events, 10% duplicates, three schools [${scale.name}]`, () => {
    let stack: TestStack;
    const secrets = new Map<string, string>();
    // 1,250 writes in flight saturate DynamoDB Local (seconds per call): a generous per-call
    // timeout keeps this test about concurrency, not about timeouts (the fault tests do those).
    beforeAll(async () => {
      stack = await startTestStack({ storageTimeoutMs: 30_000 });
      for (const schoolId of schools) secrets.set(schoolId, await stack.addSchool({ schoolId }));
    });
    afterAll(() => stack?.cleanup());

    it(
      'stores every distinct event once per school and answers accepted exactly once',
      async () => {
        const rng = random(2026);
        const copiesPerSender = Math.round(scale.eventsPerSender / 10);
        const senders = Array.from({ length: scale.senders }, (_, n) => ({
          n,
          schoolId: schools[n % 3]!,
          // Senders n, n+1, n+2 (three schools) share id and pupil prefixes: only the school tells them apart.
          unique: mixedEvents({
            prefix: `c${Math.floor(n / 3)}`,
            pupilPrefix: `P${Math.floor(n / 3)}-`,
            count: scale.eventsPerSender - copiesPerSender,
            seed: n + 1,
          }),
          posted: [] as ContractEvent[],
        }));
        for (const sender of senders) {
          const others = senders.filter((other) => other.schoolId === sender.schoolId && other !== sender);
          const copies = Array.from({ length: copiesPerSender }, () => rng.pick(rng.pick(others).unique));
          sender.posted = rng.shuffle([...sender.unique, ...copies]);
        }

        const ledger = new AnswerLedger();
        const statuses: number[] = [];
        const started = performance.now();
        await Promise.all(
          senders.map(async (sender) => {
            for (const events of chunk(sender.posted, scale.batchSize)) {
              const response = await stack.post(sender.schoolId, secrets.get(sender.schoolId)!, { events });
              statuses.push(response.status);
              ledger.record(sender.schoolId, response.body?.results);
            }
          }),
        );
        const ms = Math.round(performance.now() - started);

        expect(statuses.filter((status) => status !== 200)).toEqual([]);
        const posted = senders.reduce((sum, sender) => sum + sender.posted.length, 0);
        const distinct = new Map<string, ContractEvent[]>();
        for (const schoolId of schools) {
          const events = new Map(
            senders.filter((sender) => sender.schoolId === schoolId).flatMap((sender) => sender.unique.map((event) => [event.eventId, event] as const)),
          );
          distinct.set(schoolId, [...events.values()]);
        }
        const distinctCount = [...distinct.values()].reduce((sum, events) => sum + events.length, 0);
        // Each distinct (school, eventId): exactly one `accepted`, every other answer `duplicate`.
        for (const [schoolId, events] of distinct) {
          for (const event of events) {
            const key = AnswerLedger.key(schoolId, event.eventId);
            expect(ledger.count(key, 'accepted'), key).toBe(1);
          }
        }
        expect(ledger.total('accepted')).toBe(distinctCount);
        expect(ledger.total('duplicate')).toBe(posted - distinctCount);
        expect(ledger.total('rejected')).toBe(0);

        const counts: Record<string, unknown> = {};
        for (const [schoolId, events] of distinct) {
          const { problems, counts: stored } = await verifyStoredExactlyOnce(stack.adapters.table, schoolId, events);
          expect(problems, schoolId).toEqual([]);
          counts[schoolId] = { distinct: events.length, ...stored };
        }
        console.info(
          `[figures] concurrency [${scale.name}]`,
          JSON.stringify({
            senders: scale.senders,
            posted,
            distinct: distinctCount,
            duplicates: posted - distinctCount,
            requests: statuses.length,
            ms,
            counts,
          }),
        );
      },
      scale.timeoutMs,
    );
  });

  describe(`a registration-period burst [${scale.name}]`, () => {
    // The local stack as `npm start` runs it (default storage timeout).
    let stack: TestStack;
    let secret: string;
    beforeAll(async () => {
      stack = await startTestStack();
      secret = await stack.addSchool({ schoolId: 'burst' });
    });
    afterAll(() => stack?.cleanup());

    it(
      `accepts ${scale.burstBatches * 500} marks posted as ${scale.burstBatches} batches of 500 at once, without a 5xx, within a minute`,
      async () => {
        const marks = scale.burstBatches * 500;
        const date = '2026-11-18';
        const batches = Array.from({ length: scale.burstBatches }, (_, b) =>
          Array.from({ length: 500 }, (_, i) => ({
            eventId: `burst-${b}-${i}`,
            type: 'attendance.marked',
            occurredAt: `${date}T08:45:00Z`,
            pupilId: `B${b * 500 + i}`,
            data: { date, session: 'AM', code: i % 10 === 0 ? 'L' : '/' },
          })),
        );
        const started = performance.now();
        const answers = await Promise.all(
          batches.map(async (events) => {
            const sent = performance.now();
            const response = await stack.post('burst', secret, { events });
            return { ...response, ms: Math.round(performance.now() - sent) };
          }),
        );
        const ms = Math.round(performance.now() - started);

        expect(answers.map((answer) => answer.status)).toEqual(batches.map(() => 200));
        const accepted = answers.flatMap((answer) => answer.body.results).filter((result: { status: string }) => result.status === 'accepted');
        expect(accepted).toHaveLength(marks);
        let stored = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await stack.adapters.table.client.send(
            new QueryCommand({
              TableName: stack.adapters.table.tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': attendancePartition('burst', '2026-W47') },
              Select: 'COUNT',
              ExclusiveStartKey: start,
            }),
          );
          stored += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        expect(stored).toBe(marks);
        expect(ms).toBeLessThan(60_000);
        console.info(
          `[figures] burst [${scale.name}]`,
          JSON.stringify({
            marks,
            batches: scale.burstBatches,
            ms,
            slowestBatchMs: Math.max(...answers.map((answer) => answer.ms)),
            marksPerSecond: Math.round(marks / (ms / 1000)),
          }),
        );
      },
      scale.timeoutMs,
    );
  });
}
