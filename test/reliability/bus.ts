import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEventSource } from '../../events/bus';
import { publishStoredEvents } from '../../functions/publish-stored-events';
import { ensureTable } from '../../infra/local/create-table';
import { localRegion } from '../../infra/local/dynamodb-local';
import { StreamPoller } from '../../infra/local/stream-poller';
import { streamDelivery } from '../../infra/stream-delivery';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { LocalEventBus, type EventBridgeEnvelope } from '../../shared/adapters/local/local-bus';
import { planWrite } from '../../shared/domain/records';
import { trackerEvent } from '../../events/catalogue';
import type { BusEvent } from '../../shared/ports';
import { MailFaults, until } from '../support/faults';
import { startTestStack, type TestStack } from '../support/local-stack';
import { mixedEvents } from './workload';

/**
 * The path after the table: stream → publisher → bus → target. Contract: nothing stored is
 * missing from the bus; a failing target is retried, then dead-lettered, never dropped; and
 * a parent is never sent the same notification twice, however often an event is delivered.
 */
export interface BusScale {
  name: string;
  /** fast-check runs of the bus delivery property. */
  busRuns: number;
  /** Events written to the table for the stream tests. */
  streamEvents: number;
  timeoutMs: number;
}

const envelopeIds = (lines: string) =>
  lines
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as EventBridgeEnvelope).detail.n);

async function readDeadLetters(dir: string, rule: string): Promise<unknown[]> {
  return envelopeIds(await readFile(join(dir, `${rule}.jsonl`), 'utf8').catch(() => ''));
}

export function busTests(scale: BusScale) {
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

    it('a record the bus never takes is dead-lettered after its retries, as the mapping does, and the shard moves on', async () => {
      const { raw, streamArn, ids, streams } = await tableWithEvents(Math.round(scale.streamEvents / 2));
      const poisoned = [...ids][Math.floor(ids.size / 2)]!;
      const published: string[] = [];
      let attemptsOnPoison = 0;
      const poller = new StreamPoller(
        streams,
        streamArn,
        publisherOf(async (events) => {
          if (events.some((event) => event.detail.eventId === poisoned)) {
            attemptsOnPoison++;
            throw new Error('bus rejects this entry');
          }
          published.push(...events.map((event) => event.detail.eventId as string));
        }),
        filesFor(join(dir, `checkpoints-${tableNumber}.json`)),
        () => {},
      );
      await poller.start();
      try {
        await until(() => attemptsOnPoison > streamDelivery.retryAttempts, 'the poisoned record tried and retried', 120_000);
        await poller.whenIdle();
      } finally {
        await poller.stop();
        raw.destroy();
      }
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
      const { raw, streamArn, ids, streams } = await tableWithEvents(scale.streamEvents);
      const published: string[] = [];
      let calls = 0;
      const poller = new StreamPoller(
        streams,
        streamArn,
        publisherOf(async (events) => {
          if (++calls % 4 === 0) throw new Error('bus unavailable');
          published.push(...events.map((event) => event.detail.eventId as string));
        }),
        filesFor(join(dir, `checkpoints-${tableNumber}.json`)),
        () => {},
      );
      await poller.start();
      try {
        await until(() => new Set(published).size === ids.size, 'every stored event on the bus', 120_000);
        await poller.whenIdle();
      } finally {
        await poller.stop();
        raw.destroy();
      }
      expect(published.length, 'published exactly once each').toBe(ids.size);
      expect(new Set(published)).toEqual(ids);
      expect(calls).toBeGreaterThan(published.length);
    });

    it('a publisher whose acknowledgement is lost: every stored event still reaches the bus (at least once)', async () => {
      const { raw, streamArn, ids, streams } = await tableWithEvents(Math.round(scale.streamEvents / 2));
      const published: string[] = [];
      let calls = 0;
      const poller = new StreamPoller(
        streams,
        streamArn,
        publisherOf(async (events) => {
          published.push(...events.map((event) => event.detail.eventId as string));
          if (++calls % 5 === 0) throw new Error('acknowledgement lost');
        }),
        filesFor(join(dir, `checkpoints-${tableNumber}.json`)),
        () => {},
      );
      await poller.start();
      try {
        await until(() => new Set(published).size === ids.size, 'every stored event on the bus', 120_000);
        await poller.whenIdle();
      } finally {
        await poller.stop();
        raw.destroy();
      }
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
        published.push(...events.map((event) => event.detail.eventId as string));
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

  describe(`end to end: failing mail is retried, dead-lettered, and never sent twice [${scale.name}]`, () => {
    const mail = new MailFaults();
    let stack: TestStack;
    let secret: string;
    beforeAll(async () => {
      stack = await startTestStack({ wrapMailer: mail.wrap });
      secret = await stack.addSchool({ schoolId: 'oak' });
    });
    afterAll(() => stack?.cleanup());

    it(
      'each healthy contact gets exactly one email despite failures and re-deliveries; an unreachable one ends in the dead-letter file',
      async () => {
        const pupils = Array.from({ length: 6 }, (_, n) => `M${n}`);
        const email = (pupilId: string) => `carer.${pupilId.toLowerCase()}@example.org`;
        const unreachable = 'unreachable.m0@example.org';
        const now = stack.adapters.clock.now().toISOString();
        const roster = pupils.map((pupilId) => ({
          eventId: `roster-${pupilId}`,
          type: 'pupil.upserted',
          occurredAt: now,
          pupilId,
          data: {
            firstName: 'Kit',
            lastName: 'Mail',
            yearGroup: '6',
            contacts: [
              { contactId: 'C1', name: 'Carer One', relationship: 'mother', parentalResponsibility: true, email: email(pupilId), notify: true },
              ...(pupilId === 'M0'
                ? [{ contactId: 'C2', name: 'Carer Two', relationship: 'father', parentalResponsibility: true, email: unreachable, notify: true }]
                : []),
            ],
          },
        }));
        expect((await stack.post('oak', secret, { events: roster })).status).toBe(200);
        await stack.flush();
        mail.plan = { failFirstPerRecipient: 1, alwaysFail: new Set([unreachable]) };
        // Reasonable force: parents are told the same day (contract section 4).
        const incidents = pupils.map((pupilId) => ({
          eventId: `force-${pupilId}`,
          type: 'incident.recorded',
          occurredAt: now,
          pupilId,
          data: { incidentId: `I-${pupilId}`, category: 'physical', severity: 3, physicalIntervention: { used: true, injury: false } },
        }));
        expect((await stack.post('oak', secret, { events: incidents })).status).toBe(200);
        await stack.flush();
        // The same events again (an MIS retry): duplicates, nothing new.
        expect((await stack.post('oak', secret, { events: incidents })).body.results.map((result: { status: string }) => result.status)).toEqual(
          incidents.map(() => 'duplicate'),
        );
        await stack.flush();

        const outbox = await stack.outbox();
        const decisions = (await Promise.all(pupils.map((pupilId) => readPupilRecords(stack.adapters.table, 'oak', pupilId, now.slice(0, 10))))).flatMap(
          (records) => records.notifications,
        );
        expect(outbox.length + decisions.length, 'notify-parents sent and recorded').toBeGreaterThan(0);

        // The bus delivers at least once: hand every event to notify-parents again, twice.
        for (const incident of incidents) {
          const [stored] = (await readPupilRecords(stack.adapters.table, 'oak', incident.pupilId, now.slice(0, 10))).events.filter(
            (item) => item.eventId === incident.eventId,
          );
          const detail = {
            schoolId: 'oak',
            eventId: incident.eventId,
            type: incident.type,
            pupilIds: [incident.pupilId],
            occurredAt: incident.occurredAt,
            date: stored!.date,
            week: stored!.week,
            safeguardingConcern: false,
            key: { pk: stored!.pk, sk: stored!.sk },
          };
          const envelope = {
            version: '0',
            id: `redeliver-${incident.eventId}`,
            'detail-type': incident.type,
            source: storedEventSource,
            account: '0',
            time: now,
            region: 'local',
            resources: [],
            detail,
          };
          for (let n = 0; n < 2; n++) await stack.invoke('notify-parents', envelope).catch(() => undefined);
        }
        await stack.flush();

        const sent = (await stack.outbox()).flatMap((entry) => entry.to);
        for (const pupilId of pupils)
          expect(
            sent.filter((to) => to === email(pupilId)),
            email(pupilId),
          ).toHaveLength(1);
        expect(sent.filter((to) => to === unreachable)).toHaveLength(0);
        const deadLetters = await readFile(join(stack.dataDir, 'dead-letters', 'parentNotifications.jsonl'), 'utf8');
        const dead = deadLetters
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as EventBridgeEnvelope).detail.eventId);
        expect(dead).toEqual(['force-M0']);
        console.info(
          `[figures] mail faults [${scale.name}]`,
          JSON.stringify({ incidents: incidents.length, emails: sent.length, failedSends: mail.failures.length, deadLettered: dead.length }),
        );
      },
      scale.timeoutMs,
    );
  });
}
