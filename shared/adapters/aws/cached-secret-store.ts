import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WebhookSecrets } from '../../domain/signature';
import type { WebhookSecretStore } from '../../ports';
import { requiredEnv } from './environment';
import { SecretsManagerSecretStore } from './secrets-manager';

/** Keeps secrets in the warm Lambda for a minute; `fresh` reads go to the store (at most one per id per 10 s). */
export class CachedSecretStore implements WebhookSecretStore {
  private readonly cache = new Map<string, { value: WebhookSecrets | undefined; until: number; readAt: number }>();

  constructor(
    private readonly inner: WebhookSecretStore,
    /** How long a warm Lambda trusts its copy: a revoked secret stops working within this. */
    private readonly ttlMs = 60_000,
    /** A `fresh` read within this time of the last read is served from the cache: bad
     * signatures, for any school id, cost at most one store read per id per interval. */
    private readonly freshFloorMs = 10_000,
  ) {}

  async get(schoolId: string, options?: { fresh?: boolean }): Promise<WebhookSecrets | undefined> {
    const cached = this.cache.get(schoolId);
    const now = Date.now();
    if (cached && cached.until > now && (!options?.fresh || now - cached.readAt < this.freshFloorMs)) return cached.value;
    const value = await this.inner.get(schoolId);
    this.cache.set(schoolId, { value, until: Date.now() + this.ttlMs, readAt: Date.now() });
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
