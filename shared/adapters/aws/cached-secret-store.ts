import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WebhookSecrets } from '../../domain/signature';
import type { WebhookSecretStore } from '../../ports';
import { requiredEnv } from './environment';
import { SecretsManagerSecretStore } from './secrets-manager';

/** Keeps secrets in the warm Lambda for a few minutes; `fresh` reads go to the store. */
export class CachedSecretStore implements WebhookSecretStore {
  private readonly cache = new Map<string, { value: WebhookSecrets | undefined; until: number }>();

  constructor(
    private readonly inner: WebhookSecretStore,
    private readonly ttlMs = 300_000,
  ) {}

  async get(schoolId: string, options?: { fresh?: boolean }): Promise<WebhookSecrets | undefined> {
    const cached = this.cache.get(schoolId);
    if (!options?.fresh && cached && cached.until > Date.now()) return cached.value;
    const value = await this.inner.get(schoolId);
    this.cache.set(schoolId, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  create(schoolId: string, secrets: WebhookSecrets): Promise<boolean> {
    this.cache.delete(schoolId);
    return this.inner.create(schoolId, secrets);
  }

  replace(schoolId: string, secrets: WebhookSecrets): Promise<void> {
    this.cache.delete(schoolId);
    return this.inner.replace(schoolId, secrets);
  }
}

/** Schools' webhook secrets under the stack's prefix, cached in the warm Lambda. */
export const deployedWebhookSecrets = () => new CachedSecretStore(new SecretsManagerSecretStore(new SecretsManagerClient({}), requiredEnv('SECRETS_PREFIX')));
