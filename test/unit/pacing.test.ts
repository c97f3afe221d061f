import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { fromPacingQueue } from '../../shared/adapters/aws/pacing-queue';
import { LocalEventBus } from '../../shared/adapters/local/local-bus';

const record = (messageId: string, body: unknown) => ({ messageId, body: JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' } });

describe('fromPacingQueue (the deployed paced handlers)', () => {
  it('hands each EventBridge event of the batch to the handler, one at a time, and reports only the failed ones', async () => {
    const seen: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const handler = fromPacingQueue(async (event: { id: string }) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      seen.push(event.id);
      if (event.id === 'e2') throw new Error('throttled');
    });
    const batch = { Records: [record('m1', { id: 'e1' }), record('m2', { id: 'e2' }), record('m3', 'not an event'), record('m4', { id: 'e4' })] };
    (batch.Records[2] as { body: string }).body = '{not json';
    const response = await handler(batch as unknown as SQSEvent);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(seen).toEqual(['e1', 'e2', 'e4']);
    expect(peak).toBe(1);
  });
});

describe("LocalEventBus maxConcurrency (the pacing queue's local twin)", () => {
  it('never runs more deliveries to a paced target at once than its limit, and delivers every event', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracker-pacing-'));
    let inFlight = 0;
    let peak = 0;
    const delivered: unknown[] = [];
    const bus = new LocalEventBus(
      [
        {
          name: 'paced',
          pattern: { source: ['test'] },
          maxConcurrency: 2,
          target: async (event) => {
            peak = Math.max(peak, ++inFlight);
            await new Promise((resolve) => setTimeout(resolve, 1));
            inFlight--;
            delivered.push(event.detail.n);
          },
        },
      ],
      { maxAttempts: 1, deadLetterDir: dir },
    );
    await bus.publish(Array.from({ length: 50 }, (_, n) => ({ source: 'test', detailType: 't', detail: { n } })));
    await bus.drain();
    expect(peak).toBe(2);
    expect(delivered).toHaveLength(50);
    await rm(dir, { recursive: true, force: true });
  });
});
