import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { MisTokenStore } from '../../ports/mis';

/** The stage's prefix of Wonde tokens (the CDK grant and the CLI both use it). */
export const misSecretsPrefix = (stage: string) => `intervention-tracker-mis/${stage}`;

/** `<prefix>/<schoolId>/wonde`: a prefix apart from webhook secrets, so neither function can read the other's. */
export const misTokenSecretName = (prefix: string, schoolId: string) => `${prefix}/${schoolId}/wonde`;

export const misWebhookKeySecretName = (prefix: string) => `${prefix}/wonde-webhook-key`;

export class SecretsManagerMisTokenStore implements MisTokenStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
    private readonly kmsKeyId?: string,
  ) {}

  get(schoolId: string): Promise<string | undefined> {
    return this.read(misTokenSecretName(this.prefix, schoolId));
  }

  put(schoolId: string, token: string): Promise<void> {
    return this.write(misTokenSecretName(this.prefix, schoolId), token, `Wonde token of school ${schoolId}`);
  }

  webhookKey(): Promise<string | undefined> {
    return this.read(misWebhookKeySecretName(this.prefix));
  }

  putWebhookKey(key: string): Promise<void> {
    return this.write(misWebhookKeySecretName(this.prefix), key, 'Shared key in the Wonde lifecycle webhook URL');
  }

  private async read(name: string): Promise<string | undefined> {
    try {
      const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: name }));
      return SecretString || undefined;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  private async write(name: string, value: string, description: string): Promise<void> {
    try {
      await this.client.send(new CreateSecretCommand({ Name: name, Description: description, KmsKeyId: this.kmsKeyId, SecretString: value }));
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    }
  }
}
