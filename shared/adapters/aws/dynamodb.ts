import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { table as tableDefinition } from '../../domain/table';

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

/** Every item of one GSI1 "registry" partition (`SCHOOLS`, `MIS_CONNECTIONS`): one Query, however many pages. */
export function queryByPupilPartition(table: TableRef, partition: string): Promise<Record<string, unknown>[]> {
  const { byPupil } = tableDefinition.indexes;
  return collect(
    queryPages<Record<string, unknown>>((start) =>
      table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: byPupil.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': byPupil.partitionKey },
          ExpressionAttributeValues: { ':pk': partition },
          ExclusiveStartKey: start,
        }),
      ),
    ),
  );
}
