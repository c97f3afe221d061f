import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

export async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
