import { readFile } from 'node:fs/promises';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { appendPrivateFile, makePrivateDir, writePrivateFile } from '../../shared/adapters/local/private-files';
import { logger } from '../../shared/logger';
import { dirname } from 'node:path';

export interface StreamPollerFiles {
  checkpointFile: string;
  /** Where a batch that failed every retry is recorded (the mapping's on-failure queue). */
  deadLetterFile: string;
  retryAttempts: number;
  batchSize: number;
}

/**
 * The local twin of the Lambda event-source mapping on the table's stream: reads each shard
 * in order, hands batches to the same publisher function, and retries from the first
 * failed record (partial batch responses), checkpointing so a restart doesn't replay.
 * Like the mapping, it gives up on a record after `retryAttempts` retries: the failed
 * range goes to the dead-letter file, with the same fields as the mapping's SQS message,
 * and the shard moves on (infra/stream-delivery.ts).
 */
export class StreamPoller {
  private readonly checkpoints = new Map<string, string>();
  private readonly iterators = new Map<string, string | undefined>();
  private running = false;
  private loop: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Failed attempts at the record a shard is stuck on. */
  private readonly failures = new Map<string, { sequence: string; attempts: number }>();

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>,
    private readonly files: StreamPollerFiles,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const saved = await readFile(this.files.checkpointFile, 'utf8').then(JSON.parse, () => ({}));
    for (const [shard, sequence] of Object.entries(saved as Record<string, string>)) this.checkpoints.set(shard, sequence);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Resolves after a full pass over every shard finds nothing new. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.pollOnce();
      } catch (error) {
        this.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      if (handled === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((resolve) => resolve());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async pollOnce(): Promise<number> {
    const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    let handled = 0;
    for (const shard of orderParentsFirst(StreamDescription?.Shards ?? [])) {
      handled += await this.pollShard(shard.ShardId!);
    }
    return handled;
  }

  private async pollShard(shardId: string): Promise<number> {
    if (this.iterators.has(shardId) && this.iterators.get(shardId) === undefined) return 0; // closed and finished
    let iterator = this.iterators.get(shardId);
    if (!iterator) {
      const after = this.checkpoints.get(shardId);
      ({ ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      ));
    }
    const { Records = [], NextShardIterator } = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.files.batchSize }));
    if (Records.length === 0) {
      this.iterators.set(shardId, NextShardIterator);
      return 0;
    }
    const result = await this.handler({ Records: Records.map(toLambdaRecord) } as DynamoDBStreamEvent);
    const firstFailure = result.batchItemFailures[0]?.itemIdentifier;
    const done = firstFailure
      ? Records.slice(
          0,
          Records.findIndex((record) => record.dynamodb?.SequenceNumber === firstFailure),
        )
      : Records;
    await this.checkpoint(shardId, done.at(-1)?.dynamodb?.SequenceNumber);
    if (firstFailure && this.retriesExhausted(shardId, firstFailure)) {
      const failed = Records.slice(done.length);
      const lastFailed = failed.at(-1)?.dynamodb?.SequenceNumber;
      await makePrivateDir(dirname(this.files.deadLetterFile));
      await appendPrivateFile(
        this.files.deadLetterFile,
        `${JSON.stringify({
          condition: 'RetryAttemptsExhausted',
          timestamp: new Date().toISOString(),
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: firstFailure,
            endSequenceNumber: lastFailed,
            batchSize: failed.length,
            streamArn: this.streamArn,
          },
        })}\n`,
      );
      logger.error('stream batch dead-lettered after its retries; announce it again with `tracker republish`', { shardId, records: failed.length });
      this.failures.delete(shardId);
      await this.checkpoint(shardId, lastFailed);
      this.iterators.set(shardId, NextShardIterator);
      return Records.length;
    }
    if (firstFailure) {
      // Re-read from the checkpoint on the next pass, after a pause, as Lambda's retry would.
      this.iterators.delete(shardId);
      throw new Error(`stream batch failed at ${firstFailure}; retrying from there`);
    }
    this.failures.delete(shardId);
    this.iterators.set(shardId, NextShardIterator);
    return Records.length;
  }

  private async checkpoint(shardId: string, sequence: string | undefined) {
    if (!sequence) return;
    this.checkpoints.set(shardId, sequence);
    await writePrivateFile(this.files.checkpointFile, JSON.stringify(Object.fromEntries(this.checkpoints)));
  }

  /** Counts this failure; true once the record has failed its first attempt and every retry. */
  private retriesExhausted(shardId: string, sequence: string): boolean {
    const previous = this.failures.get(shardId);
    const attempts = previous?.sequence === sequence ? previous.attempts + 1 : 1;
    this.failures.set(shardId, { sequence, attempts });
    return attempts > this.files.retryAttempts;
  }
}

function orderParentsFirst(shards: Shard[]): Shard[] {
  const ids = new Set(shards.map((shard) => shard.ShardId));
  const ordered: Shard[] = [];
  const visit = (shard: Shard) => {
    if (ordered.includes(shard)) return;
    const parent = shards.find((candidate) => candidate.ShardId === shard.ParentShardId);
    if (parent && ids.has(parent.ShardId)) visit(parent);
    ordered.push(shard);
  };
  shards.forEach(visit);
  return ordered;
}

function toLambdaRecord(record: _Record) {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: record.dynamodb,
  };
}
