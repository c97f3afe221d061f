import { BatchExecuteStatementCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../shared/adapters/aws/dynamodb';
import type { Item } from '../shared/domain/records';

/**
 * Plain BatchWriteItem, 25 items a call, `concurrency` calls in flight, unprocessed items
 * retried: the storage ceiling the webhook is compared with, and the fast way to seed history.
 */
export async function batchWrite(table: TableRef, items: Item[], concurrency: number): Promise<void> {
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let requests = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchWriteItem left items unprocessed after 10 retries');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
        const { UnprocessedItems } = await table.client.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
        requests = (UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

/**
 * The conditional ceiling: the same items as PartiQL INSERTs (put-if-absent, the cheapest
 * conditional write), 25 to a BatchExecuteStatement, `concurrency` calls in flight.
 */
export async function batchInsert(table: TableRef, items: Item[], concurrency: number): Promise<void> {
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  let next = 0;
  const statement = (item: Item) => {
    const names = Object.keys(item).filter((name) => item[name] !== undefined);
    return {
      Statement: `INSERT INTO "${table.tableName}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`,
      Parameters: names.map((name) => item[name]),
    };
  };
  const worker = async () => {
    while (next < chunks.length) {
      const { Responses = [], $metadata } = await table.client.send(new BatchExecuteStatementCommand({ Statements: chunks[next++]!.map(statement) }));
      // A call the SDK retried after a timeout meets the items its first attempt stored.
      const ownRetry = ($metadata.attempts ?? 1) > 1;
      const failed = Responses.find((response) => response.Error && !(ownRetry && response.Error.Code === 'DuplicateItem'));
      if (failed) throw new Error(`INSERT failed: ${failed.Error?.Code} ${failed.Error?.Message}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}
