import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { WebhookSecrets } from '../../domain/signature';
import type { WebhookSecretStore } from '../../ports';

/** Secret name of a school's webhook secrets; the stack grants access to `<prefix>/*` only. */
export const webhookSecretName = (prefix: string, schoolId: string) => `${prefix}/${schoolId}/webhook`;

/**
 * Webhook secrets in Secrets Manager, encrypted with the stack's KMS key. Values are cached
 * briefly in the Lambda; a miss on a fresh rotation is retried uncached by the caller.
 */
export class SecretsManagerSecretStore implements WebhookSecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
    private readonly kmsKeyId?: string,
  ) {}

  async get(schoolId: string): Promise<WebhookSecrets | undefined> {
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: webhookSecretName(this.prefix, schoolId) }));
      return SecretString ? (JSON.parse(SecretString) as WebhookSecrets) : undefined;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async create(schoolId: string, secrets: WebhookSecrets): Promise<boolean> {
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: webhookSecretName(this.prefix, schoolId),
          Description: `Webhook signing secrets of school ${schoolId}`,
          KmsKeyId: this.kmsKeyId,
          SecretString: JSON.stringify(secrets),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ResourceExistsException) return false;
      throw error;
    }
  }

  async replace(schoolId: string, secrets: WebhookSecrets): Promise<void> {
    await this.client.send(new PutSecretValueCommand({ SecretId: webhookSecretName(this.prefix, schoolId), SecretString: JSON.stringify(secrets) }));
  }
}
