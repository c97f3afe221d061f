import { misTokenKey, misWebhookKeyKey } from '../../domain/keys';
import type { MisTokenStore } from '../../ports/mis';
import type { TableRef } from '../aws/dynamodb';
import { readSecretItem, writeSecretItem } from './table-secrets';

/** Local stand-in for Secrets Manager (like TableSecretStore): the token stays in `.local/`. */
export class TableMisTokenStore implements MisTokenStore {
  constructor(private readonly table: TableRef) {}

  async get(schoolId: string): Promise<string | undefined> {
    return (await readSecretItem(this.table, misTokenKey(schoolId)))?.token as string | undefined;
  }

  async put(schoolId: string, token: string): Promise<void> {
    await writeSecretItem(this.table, misTokenKey(schoolId), { token });
  }

  async webhookKey(): Promise<string | undefined> {
    return (await readSecretItem(this.table, misWebhookKeyKey))?.token as string | undefined;
  }

  async putWebhookKey(key: string): Promise<void> {
    await writeSecretItem(this.table, misWebhookKeyKey, { token: key });
  }
}
