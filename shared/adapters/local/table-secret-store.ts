import { schoolSecretKey } from '../../domain/keys';
import type { WebhookSecrets } from '../../domain/signature';
import type { WebhookSecretStore } from '../../ports';
import { conditionalWrite, type TableRef } from '../aws/dynamodb';
import { readSecretItem, writeSecretItem } from './table-secrets';

/**
 * Local stand-in for Secrets Manager: the secrets sit in the local table under `.local/`,
 * which never leaves the machine. The deployed stack uses SecretsManagerSecretStore.
 */
export class TableSecretStore implements WebhookSecretStore {
  constructor(private readonly table: TableRef) {}

  async get(schoolId: string): Promise<WebhookSecrets | undefined> {
    return (await readSecretItem(this.table, schoolSecretKey(schoolId)))?.secrets as WebhookSecrets | undefined;
  }

  async create(schoolId: string, secrets: WebhookSecrets): Promise<boolean> {
    return conditionalWrite(this.put(schoolId, secrets, 'attribute_not_exists(pk)'));
  }

  async replace(schoolId: string, secrets: WebhookSecrets): Promise<void> {
    await this.put(schoolId, secrets, 'attribute_exists(pk)');
  }

  private put(schoolId: string, secrets: WebhookSecrets, condition: string) {
    return writeSecretItem(this.table, schoolSecretKey(schoolId), { secrets }, condition);
  }
}
