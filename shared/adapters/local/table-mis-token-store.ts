import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { misTokenKey, misWebhookKeyKey } from '../../domain/keys';
import type { MisTokenStore } from '../../ports/mis';
import type { TableRef } from '../aws/dynamodb';

/** Local stand-in for Secrets Manager (like TableSecretStore): the token stays in `.local/`. */
export class TableMisTokenStore implements MisTokenStore {
  constructor(private readonly table: TableRef) {}

  async get(schoolId: string): Promise<string | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: misTokenKey(schoolId), ConsistentRead: true }));
    return Item?.token as string | undefined;
  }

  async put(schoolId: string, token: string): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.tableName, Item: { ...misTokenKey(schoolId), recordKind: 'secret', token } }));
  }

  async webhookKey(): Promise<string | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: misWebhookKeyKey, ConsistentRead: true }));
    return Item?.token as string | undefined;
  }

  async putWebhookKey(key: string): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.tableName, Item: { ...misWebhookKeyKey, recordKind: 'secret', token: key } }));
  }
}
