import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerEvent } from '../../events/catalogue';
import { publishStoredEvents } from '../../functions/publish-stored-events';
import { ensureTable } from '../../infra/local/create-table';
import { localRegion } from '../../infra/local/dynamodb-local';
import { StreamPoller } from '../../infra/local/stream-poller';
import { streamDelivery } from '../../infra/stream-delivery';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { planWrite } from '../../shared/domain/records';
import type { BusEvent } from '../../shared/ports';
import { until } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';
import type { BusScale } from './bus';
import { mixedEvents } from './workload';

/** The table's stream → the publisher (as the event source mapping runs it): nothing stored is missing from the bus. */
export function streamPublisherTests(scale: BusScale) {
  describe(`table stream → publisher: nothing stored is missing from the bus [${scale.name}]`, () => {
    let stack: TestStack;
    let dir: string;
    let tableNumber = 0;
    beforeAll(async () => {
      stack = await startTestStack();
      dir = await mkdtemp(join(tmpdir(), 'tracker-stream-'));
    });
    afterAll(async () => {
      await stack?.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    /** A fresh table (with its stream) on the stack's DynamoDB Local, filled with `count` stored events. */
    async function tableWithEvents(count: number) {
      const config = { endpoint: stack.dynamodbEndpoint, region: localRegion, credentials: stack.dynamodbCredentials };
      const raw = new DynamoDBClient(config);
      const tableName = `stream-${++tableNumber}`;
      const streamArn = await ensureTable(raw, tableName);
      const ref = { client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }), tableName };
      const store = new DynamoEventStore(ref);
      const events = mixedEvents({ prefix: 'st', pupilPrefix: 'S', count, seed: tableNumber });
      const now = new Date('2026-12-03T12:00:00Z');
      for (const event of events) await store.store(planWrite(trackerEvent.parse(event), { schoolId: 'oak', timezone: 'Europe/London' }, now));
      return { raw, streamArn, ids: new Set(events.map((event) => event.eventId)), streams: new DynamoDBStreamsClient(config) };
    }

    const publisherOf = (publish: (events: BusEvent[]) => Promise<void>) => publishStoredEvents({ publisher: { publish } });
    const filesFor = (checkpointFile: string) => ({
      checkpointFile,
      deadLetterFile: join(dir, `stream-dead-letters-${tableNumber}.jsonl`),
      retryAttempts: streamDelivery.retryAttempts,
      batchSize: streamDelivery.batchSize,
    });
    const idsOf = (events: BusEvent[]) => events.map((event) => event.detail.eventId as string);

    /** Polls the table's stream into `publish` until `done`, then until idle; stops the poller and closes the client either way. */
    async function pollUntil(
      table: Awaited<ReturnType<typeof tableWithEvents>>,
      publish: (events: BusEvent[]) => Promise<void>,
      done: () => boolean,
      what: string,
    ) {
      const poller = new StreamPoller(table.streams, table.streamArn, publisherOf(publish), filesFor(join(dir, `checkpoints-${tableNumber}.json`)), () => {});
      await poller.start();
      try {
        await until(done, what, 120_000);
        await poller.whenIdle();
      } finally {
        await poller.stop();
        table.raw.destroy();
      }
    }

    it('a record the bus never takes is dead-lettered after its retries, as the mapping does, and the shard moves on', async () => {
      const table = await tableWithEvents(Math.round(scale.streamEvents / 2));
      const { ids } = table;
      const poisoned = [...ids][Math.floor(ids.size / 2)]!;
      const published: string[] = [];
      let attemptsOnPoison = 0;
      const publish = async (events: BusEvent[]) => {
        if (events.some((event) => event.detail.eventId === poisoned)) {
          attemptsOnPoison++;
          throw new Error('bus rejects this entry');
        }
        published.push(...idsOf(events));
      };
      await pollUntil(table, publish, () => attemptsOnPoison > streamDelivery.retryAttempts, 'the poisoned record tried and retried');
      expect(attemptsOnPoison).toBe(streamDelivery.retryAttempts + 1);
      // As the mapping: the failed range (the poisoned record to its batch's end) is
      // dead-lettered as one letter naming it; everything else reached the bus once.
      const missing = [...ids].filter((id) => !published.includes(id));
      expect(missing).toContain(poisoned);
      expect(published.length).toBe(new Set(published).size);
      const [letter, ...more] = (await readFile(filesFor('').deadLetterFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(more).toEqual([]);
      expect(letter.condition).toBe('RetryAttemptsExhausted');
      // (The range also holds stream records that announce nothing: profiles, participant links.)
      expect(letter.DDBStreamBatchInfo.batchSize).toBeGreaterThanOrEqual(missing.length);
    });

    it('a publisher failing every 4th call: each stored event is published exactly once (partial batch retry)', async () => {
      const table = await tableWithEvents(scale.streamEvents);
      const { ids } = table;
      const published: string[] = [];
      let calls = 0;
      const publish = async (events: BusEvent[]) => {
        if (++calls % 4 === 0) throw new Error('bus unavailable');
        published.push(...idsOf(events));
      };
      await pollUntil(table, publish, () => new Set(published).size === ids.size, 'every stored event on the bus');
      expect(published.length, 'published exactly once each').toBe(ids.size);
      expect(new Set(published)).toEqual(ids);
      expect(calls).toBeGreaterThan(published.length);
    });

    it('a publisher whose acknowledgement is lost: every stored event still reaches the bus (at least once)', async () => {
      const table = await tableWithEvents(Math.round(scale.streamEvents / 2));
      const { ids } = table;
      const published: string[] = [];
      let calls = 0;
      const publish = async (events: BusEvent[]) => {
        published.push(...idsOf(events));
        if (++calls % 5 === 0) throw new Error('acknowledgement lost');
      };
      await pollUntil(table, publish, () => new Set(published).size === ids.size, 'every stored event on the bus');
      expect(new Set(published)).toEqual(ids);
      // At-least-once: the targets (notification decisions' conditional writes) absorb the repeats.
      expect(published.length).toBeGreaterThan(ids.size);
    });

    it('a poller stopped half-way resumes from its checkpoint: nothing missed, nothing repeated', async () => {
      // At least three GetRecords pages (100 each), so the stop falls before the end.
      const { raw, streamArn, ids, streams } = await tableWithEvents(Math.max(scale.streamEvents, 300));
      const checkpoint = join(dir, `checkpoints-${tableNumber}.json`);
      const published: string[] = [];
      // Held once a third is published, until the stop is requested: on a fast machine the
      // poller would otherwise finish everything before the stop lands.
      let release: (() => void) | undefined;
      let held = false;
      const publisher = publisherOf(async (events) => {
        if (!held && published.length >= ids.size / 3) {
          held = true;
          await new Promise<void>((resolve) => (release = resolve));
        }
        published.push(...idsOf(events));
      });
      const first = new StreamPoller(streams, streamArn, publisher, filesFor(checkpoint), () => {});
      await first.start();
      await until(() => release !== undefined, 'a third of the events published', 120_000);
      const stopping = first.stop();
      release!();
      await stopping;
      const publishedBeforeRestart = published.length;
      expect(publishedBeforeRestart).toBeLessThan(ids.size);
      const second = new StreamPoller(streams, streamArn, publisher, filesFor(checkpoint), () => {});
      await second.start();
      try {
        await until(() => new Set(published).size === ids.size, 'the rest after the restart', 120_000);
        await second.whenIdle();
      } finally {
        await second.stop();
        raw.destroy();
      }
      expect(published.length).toBe(ids.size);
      expect(new Set(published)).toEqual(ids);
    });
  });
}
