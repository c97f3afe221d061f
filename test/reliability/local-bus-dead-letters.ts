import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEventSource } from '../../events/bus';
import { LocalEventBus, type EventBridgeEnvelope } from '../../shared/adapters/local/local-bus';
import type { BusEvent } from '../../shared/ports';
import type { BusScale } from './bus';

/** The local event bus on its own: a failing target is retried, then dead-lettered, never dropped. */
const envelopeIds = (lines: string) =>
  lines
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as EventBridgeEnvelope).detail.n);

async function readDeadLetters(dir: string, rule: string): Promise<unknown[]> {
  return envelopeIds(await readFile(join(dir, `${rule}.jsonl`), 'utf8').catch(() => ''));
}

export function localBusTests(scale: BusScale) {
  describe(`local event bus: retries, then the dead-letter file [${scale.name}]`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tracker-bus-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    const event = (n: number): BusEvent => ({ source: storedEventSource, detailType: 'incident.recorded', detail: { n } });

    it('a target that always fails is tried maxAttempts times per event, then each event is dead-lettered exactly once; other rules are unaffected', async () => {
      const deadLetterDir = join(dir, 'always');
      const calls = new Map<unknown, number>();
      const healthy = new Map<unknown, number>();
      const errors: number[] = [];
      const bus = new LocalEventBus(
        [
          {
            name: 'failing',
            pattern: { source: [storedEventSource] },
            target: async (envelope) => {
              calls.set(envelope.detail.n, (calls.get(envelope.detail.n) ?? 0) + 1);
              throw new Error('target down');
            },
          },
          {
            name: 'healthy',
            pattern: { source: [storedEventSource] },
            target: async (envelope) => void healthy.set(envelope.detail.n, (healthy.get(envelope.detail.n) ?? 0) + 1),
          },
        ],
        { maxAttempts: 3, deadLetterDir, retryDelayMs: () => 1, onError: (_rule, _error, attempt) => errors.push(attempt) },
      );
      await bus.publish(Array.from({ length: 20 }, (_, n) => event(n)));
      await bus.drain();
      expect([...calls.values()]).toEqual(Array(20).fill(3));
      expect(errors).toHaveLength(60);
      expect((await readDeadLetters(deadLetterDir, 'failing')).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, n) => n));
      expect([...healthy.values()]).toEqual(Array(20).fill(1));
      expect(await readDeadLetters(deadLetterDir, 'healthy')).toEqual([]);
    });

    it('property: each (event, rule) is delivered once or dead-lettered once, never both, never neither, never twice', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 })), { minLength: 1, maxLength: 30 }),
          fc.integer({ min: 1, max: 4 }),
          async (failures, maxAttempts) => {
            const deadLetterDir = join(dir, `property-${runs++}`);
            const delivered = new Map<string, number>();
            const attempts = new Map<string, number>();
            const target = (rule: string, index: 0 | 1) => async (envelope: EventBridgeEnvelope) => {
              const key = `${rule}/${envelope.detail.n}`;
              const attempt = (attempts.get(key) ?? 0) + 1;
              attempts.set(key, attempt);
              if (attempt <= failures[envelope.detail.n as number]![index]) throw new Error(`attempt ${attempt} fails`);
              delivered.set(key, (delivered.get(key) ?? 0) + 1);
            };
            const bus = new LocalEventBus(
              [
                { name: 'a', pattern: { source: [storedEventSource] }, target: target('a', 0) },
                { name: 'b', pattern: { source: [storedEventSource] }, target: target('b', 1) },
              ],
              { maxAttempts, deadLetterDir, retryDelayMs: () => 0 },
            );
            await bus.publish(failures.map((_, n) => event(n)));
            await bus.drain();
            for (const [index, rule] of (['a', 'b'] as const).entries()) {
              const dead = new Set(await readDeadLetters(deadLetterDir, rule));
              failures.forEach((failing, n) => {
                const key = `${rule}/${n}`;
                const shouldDeliver = failing[index]! < maxAttempts;
                expect(delivered.get(key) ?? 0, key).toBe(shouldDeliver ? 1 : 0);
                expect(dead.has(n), key).toBe(!shouldDeliver);
                expect(attempts.get(key), key).toBe(Math.min(failing[index]! + 1, maxAttempts));
              });
              expect(dead.size).toBe(failures.filter((failing) => failing[index]! >= maxAttempts).length);
            }
          },
        ),
        { numRuns: scale.busRuns },
      );
    });

    it('a dead letter that cannot be written is reported and kept, not an unhandled rejection', async () => {
      const blocked = join(dir, 'blocked');
      await writeFile(blocked, 'a file where the dead-letter folder should be');
      const reported: string[] = [];
      const bus = new LocalEventBus(
        [
          {
            name: 'failing',
            pattern: { source: [storedEventSource] },
            target: async () => {
              throw new Error('down');
            },
          },
        ],
        {
          maxAttempts: 2,
          deadLetterDir: join(blocked, 'dead-letters'),
          retryDelayMs: () => 0,
          onDeadLetterFailure: (rule, envelope) => reported.push(`${rule}/${envelope.detail.n}`),
        },
      );
      await bus.publish([event(1), event(2)]);
      await bus.drain();
      expect(reported.sort()).toEqual(['failing/1', 'failing/2']);
      expect(bus.unwritableDeadLetters.map((kept) => kept.envelope.detail.n).sort()).toEqual([1, 2]);
    });
  });
}
