import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { table as tableDefinition } from '../../domain/table';
import { requiredEnv } from './environment';

/** The table every adapter talks to: a real one in AWS, DynamoDB Local on one machine. */
export interface TableRef {
  client: DynamoDBDocumentClient;
  tableName: string;
}

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

let deployed: TableRef | undefined;

/**
 * The deployed table, one client per Lambda process. Each attempt is bounded so that the
 * SDK's three attempts end before the function's own timeout: a stalled table then answers
 * the MIS with a 503 of ours, not API Gateway's after 29 s.
 */
export function deployedTable(): TableRef {
  const attemptMs = Number(requiredEnv('STORAGE_TIMEOUT_MS'));
  deployed ??= {
    client: documentClient({ requestHandler: { connectionTimeout: attemptMs, requestTimeout: attemptMs, throwOnRequestTimeout: true } }),
    tableName: requiredEnv('TABLE_NAME'),
  };
  return deployed;
}

/** Pages through a Query, however many items it spans. */
export async function* queryPages<T>(
  fetchPage: (exclusiveStartKey: Record<string, unknown> | undefined) => Promise<{ Items?: unknown[]; LastEvaluatedKey?: Record<string, unknown> }>,
): AsyncGenerator<T[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await fetchPage(startKey);
    yield (page.Items ?? []) as T[];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** true when the conditional write happened, false when its condition failed; other errors throw. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The parts of an update expression that writes these attributes: `SET #a = :a` for each
 * defined one, `REMOVE #a` for each undefined one (a newer version without it), and
 * `SET #o = if_not_exists(#o, :o)` for those written only once.
 */
export function attributeUpdates(attributes: Record<string, unknown>, once: Record<string, unknown> = {}) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(attributes).forEach(([name, value], index) => {
    names[`#a${index}`] = name;
    if (value === undefined) removes.push(`#a${index}`);
    else {
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    }
  });
  Object.entries(once).forEach(([name, value], index) => {
    names[`#o${index}`] = name;
    values[`:o${index}`] = value;
    sets.push(`#o${index} = if_not_exists(#o${index}, :o${index})`);
  });
  return { names, values, sets, removes };
}

/** Every item of a Query, page after page. */
export function queryAll<T = Record<string, unknown>>(ref: TableRef, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<T[]> {
  return collect(queryPages<T>((start) => ref.client.send(new QueryCommand({ ...input, TableName: ref.tableName, ExclusiveStartKey: start }))));
}

/**
 * Every item of a list of keys, 100 keys a request (BatchGetItem's limit). Keys DynamoDB
 * leaves unprocessed (throttling) are asked for again after an exponential, jittered
 * pause, as AWS advises, instead of at once in a tight loop.
 */
export async function batchGetAll<T = Record<string, unknown>>(
  ref: TableRef,
  keys: Record<string, unknown>[],
  projection?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
  pauseMs = (attempt: number) => Math.random() * Math.min(1_000, 50 * 2 ** attempt),
): Promise<T[]> {
  const items: T[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(pauseMs(attempt));
      const result: BatchGetCommandOutput = await ref.client.send(new BatchGetCommand({ RequestItems: { [ref.tableName]: { Keys: pending, ...projection } } }));
      items.push(...((result.Responses?.[ref.tableName] ?? []) as T[]));
      pending = result.UnprocessedKeys?.[ref.tableName]?.Keys;
    }
  }
  return items;
}

export async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/** Every item of one GSI1 "registry" partition (`SCHOOLS`, `MIS_CONNECTIONS`): one Query, however many pages. */
export function queryByPupilPartition(ref: TableRef, partition: string): Promise<Record<string, unknown>[]> {
  const { byPupil } = tableDefinition.indexes;
  return queryAll(ref, {
    IndexName: byPupil.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': byPupil.partitionKey },
    ExpressionAttributeValues: { ':pk': partition },
  });
}
