import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { table } from '../shared/domain/table';

/**
 * Counts DynamoDB requests and consumed capacity on a client, for measurement only: a
 * middleware on the client's stack asks every request for `ReturnConsumedCapacity: TOTAL`
 * (when the caller didn't ask already) and adds up what the responses report. DynamoDB
 * Local reports it for every operation, UpdateItem included. The one gap is a write whose
 * condition fails: the error carries no ConsumedCapacity, so those are counted apart (AWS
 * bills a failed conditional write ≥ 1 WCU; the report adds 1 each).
 */

const writeOperations = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'BatchExecuteStatementCommand',
  'ExecuteStatementCommand',
  'ExecuteTransactionCommand',
]);
const readOperations = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'TransactGetItemsCommand', 'ScanCommand']);
const capacityOperations = new Set([...writeOperations, ...readOperations]);

export interface MeterSnapshot {
  /** Requests per operation (SDK command name without `Command`), failed ones included. */
  requests: Record<string, number>;
  writeRequests: number;
  readRequests: number;
  /** Consumed capacity as reported by the responses. */
  wcu: number;
  rcu: number;
  /** Write requests that failed with a condition check (no ConsumedCapacity in an error). */
  failedConditionalWrites: number;
  /** Statements inside BatchExecuteStatement answered with a per-statement error. */
  failedStatements: number;
  /** Some WCU were computed from item sizes (BatchExecuteStatement on DynamoDB Local). */
  estimatedWcu: boolean;
}

export interface Meter {
  reset(): void;
  snapshot(): MeterSnapshot;
}

const empty = (): MeterSnapshot => ({
  requests: {},
  writeRequests: 0,
  readRequests: 0,
  wcu: 0,
  rcu: 0,
  failedConditionalWrites: 0,
  failedStatements: 0,
  estimatedWcu: false,
});

/** Item size by AWS's rules (names + values; numbers ~1 byte per 2 digits + 1; list/map 3 + 1 per element). */
export function itemSizeBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return (
      Math.ceil(
        String(Math.abs(value))
          .replace(/[.e+-]/g, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, member) => sum + itemSizeBytes(member), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, member) => sum + itemSizeBytes(member) + 1, 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, member]) => sum + (member === undefined ? 0 : Buffer.byteLength(name) + itemSizeBytes(member) + 1),
        0,
      )
    );
  }
  return 0;
}

/** WCU of putting a whole item: 1 per KB, once for the table and once per index it appears in. */
export function putWcu(item: Record<string, unknown>): number {
  const size = Object.entries(item).reduce((sum, [name, value]) => sum + (value === undefined ? 0 : Buffer.byteLength(name) + itemSizeBytes(value)), 0);
  const units = Math.max(1, Math.ceil(size / 1024));
  const indexes = Object.values(table.indexes).filter((index) => item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined).length;
  return units * (1 + indexes);
}

/** A PartiQL `INSERT INTO "t" VALUE {'a': ?, …}` with its parameters, as the item it puts. */
function insertedItem(statement: { Statement?: string; Parameters?: unknown[] }): Record<string, unknown> | undefined {
  if (!statement.Statement?.trimStart().toUpperCase().startsWith('INSERT')) return undefined;
  const names = [...statement.Statement.matchAll(/'((?:[^']|'')+)'\s*:\s*\?/g)].map((match) => match[1]!.replace(/''/g, "'"));
  return Object.fromEntries(names.map((name, index) => [name, statement.Parameters?.[index]]));
}

type Capacity = { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number };

/** Installs the meter on a client (a DocumentClient shares its stack with the client under it). */
export function instrument(client: DynamoDBDocumentClient): Meter {
  let counts = empty();
  const addCapacity = (operation: string, consumed: Capacity | Capacity[] | undefined) => {
    for (const entry of [consumed ?? []].flat()) {
      const units = entry.CapacityUnits ?? 0;
      if (writeOperations.has(operation)) counts.wcu += entry.WriteCapacityUnits ?? units;
      else counts.rcu += entry.ReadCapacityUnits ?? units;
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName ?? 'unknown';
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (capacityOperations.has(operation) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const name = operation.replace(/Command$/, '');
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      if (writeOperations.has(operation)) counts.writeRequests++;
      else if (readOperations.has(operation)) counts.readRequests++;
      try {
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: Capacity | Capacity[]; Responses?: { Error?: unknown }[] };
        addCapacity(operation, output.ConsumedCapacity);
        if (operation === 'BatchExecuteStatementCommand' && output.ConsumedCapacity === undefined) {
          // DynamoDB Local reports no capacity here: bill each INSERT by its item (a failed one ≥ 1 WCU).
          const statements = (args.input as { Statements?: { Statement?: string; Parameters?: unknown[] }[] }).Statements ?? [];
          (output.Responses ?? []).forEach((response, index) => {
            const item = insertedItem(statements[index] ?? {});
            if (response.Error) counts.failedStatements++;
            counts.wcu += response.Error || !item ? 1 : putWcu(item);
          });
          counts.estimatedWcu = true;
        }
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException' || (error as Error).name === 'TransactionCanceledException') {
          counts.failedConditionalWrites++;
        }
        throw error;
      }
    },
    { step: 'initialize', priority: 'low', name: 'benchCapacityMeter', override: true },
  );
  return {
    reset: () => {
      counts = empty();
    },
    snapshot: () => structuredClone(counts),
  };
}
