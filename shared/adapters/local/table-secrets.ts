import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../aws/dynamodb';

/**
 * The local stand-in for Secrets Manager (TableSecretStore, TableMisTokenStore): a secret is an
 * item of the local table (`recordKind: 'secret'`), which sits under `.local/` and never leaves
 * the machine.
 */
type ItemKey = { pk: string; sk: string };

export async function readSecretItem(table: TableRef, key: ItemKey): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
  return Item;
}

export async function writeSecretItem(table: TableRef, key: ItemKey, value: Record<string, unknown>, condition?: string): Promise<void> {
  await table.client.send(
    new PutCommand({ TableName: table.tableName, Item: { ...key, recordKind: 'secret', ...value }, ...(condition ? { ConditionExpression: condition } : {}) }),
  );
}
