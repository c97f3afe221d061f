import { readFile } from 'node:fs/promises';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { writePrivateFile } from '../../shared/adapters/local/private-files';

/**
 * The local twin of the Lambda event-source mapping on the table's stream: reads each shard
 * in order, hands batches to the same publisher function, and retries from the first
 * failed record (partial batch responses), checkpointing so a restart doesn't replay.
 */
export class StreamPoller {
  private readonly checkpoints = new Map<string, string>();
  private readonly iterators = new Map<string, string | undefined>();
  private running = false;
  private loop: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>,
    private readonly checkpointFile: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const saved = await readFile(this.checkpointFile, 'utf8').then(JSON.parse, () => ({}));
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
    const { Records = [], NextShardIterator } = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
    if (Records.length === 0) {
      this.iterators.set(shardId, NextShardIterator);
      return 0;
    }
    const result = await this.handler({ Records: Records.map(toLambdaRecord) } as DynamoDBStreamEvent);
    const firstFailure = result.batchItemFailures[0]?.itemIdentifier;
    const done = firstFailure ? Records.slice(0, Records.findIndex((record) => record.dynamodb?.SequenceNumber === firstFailure)) : Records;
    const last = done.at(-1)?.dynamodb?.SequenceNumber;
    if (last) {
      this.checkpoints.set(shardId, last);
      await writePrivateFile(this.checkpointFile, JSON.stringify(Object.fromEntries(this.checkpoints)));
    }
    if (firstFailure) {
      // Re-read from the checkpoint on the next pass, after a pause, as Lambda's retry would.
      this.iterators.delete(shardId);
      throw new Error(`stream batch failed at ${firstFailure}; retrying from there`);
    }
    this.iterators.set(shardId, NextShardIterator);
    return Records.length;
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
