import type { WebhookSecrets } from '../domain/signature';

export interface WebhookSecretStore {
  /** `fresh` skips any cache, so a just-rotated secret is seen at once. */
  get(schoolId: string, options?: { fresh?: boolean }): Promise<WebhookSecrets | undefined>;
  /** Creates the school's secrets; false if they exist already. */
  create(schoolId: string, secrets: WebhookSecrets): Promise<boolean>;
  replace(schoolId: string, secrets: WebhookSecrets): Promise<void>;
}
