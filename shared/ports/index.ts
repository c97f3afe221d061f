/**
 * The ports: small interfaces the core talks to. Each has an AWS adapter
 * (shared/adapters/aws) and a local one (shared/adapters/local); storage is DynamoDB in
 * both places (DynamoDB Local on one machine), so its adapter is shared.
 */
import type { WebhookSecrets } from '../domain/signature';
import type { WritePlan } from '../domain/records';
import type { TableRef } from '../adapters/aws/dynamodb';
import type { MisAdapters } from './mis';

export interface Clock {
  now(): Date;
}

export interface SchoolProfile {
  schoolId: string;
  name: string;
  leaders: string[];
  timezone: string;
  dslEmail?: string;
  createdAt: string;
}

export interface SchoolDirectory {
  /** Registers a school; false when the id is taken (nothing changes then). */
  create(profile: SchoolProfile): Promise<boolean>;
  get(schoolId: string): Promise<SchoolProfile | undefined>;
  list(): Promise<SchoolProfile[]>;
}

export interface WebhookSecretStore {
  /** `fresh` skips any cache, so a just-rotated secret is seen at once. */
  get(schoolId: string, options?: { fresh?: boolean }): Promise<WebhookSecrets | undefined>;
  /** Creates the school's secrets; false if they exist already. */
  create(schoolId: string, secrets: WebhookSecrets): Promise<boolean>;
  replace(schoolId: string, secrets: WebhookSecrets): Promise<void>;
}

export type StoreOutcome = 'accepted' | 'duplicate';

export interface EventStore {
  /** Durable before it resolves; `duplicate` when this school has stored this eventId before. */
  store(plan: WritePlan): Promise<StoreOutcome>;
}

export interface BusEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: BusEvent[]): Promise<void>;
}

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Why the mail exists (e.g. `parent-notification`), for the SES configuration set's tags. */
  category: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** A mail rejection that retrying will not fix (bad address, suppression list). */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}

/** Settings of the trust's deployment that functions need. */
export interface TrustSettings {
  /** Who gets the trust-wide weekly summary; empty means nobody does. */
  trustLeaders: string[];
  /** Shown in emails, e.g. "Oak Valley Academy Trust". */
  trustName: string;
}

/**
 * Everything a function may use, built once per process: lazily from the environment in
 * Lambda (shared/adapters/aws/environment.ts), eagerly by the local stack. Storage is
 * DynamoDB in both, so the table reference itself is shared.
 */
export interface Adapters {
  table: TableRef;
  schools: SchoolDirectory;
  secrets: WebhookSecretStore;
  events: EventStore;
  publisher: EventPublisher;
  mailer: Mailer;
  clock: Clock;
  settings: TrustSettings;
  /** The MIS connector (shared/ports/mis.ts); only its functions and the local stack set it. */
  mis?: MisAdapters;
}
