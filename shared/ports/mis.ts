/**
 * Ports of the MIS connector (contract section 9). Wonde is the one source built; Arbor's
 * change feed or Bromcom's partner API would be further MisSource adapters
 * (docs/mis-connector.md).
 */

/** What a sync reads, in this order (codes first: marks are mapped through them). */
export const misResources = ['attendance-codes', 'students', 'leavers', 'deletions', 'attendance'] as const;
export type MisResource = (typeof misResources)[number];

export interface MisPage {
  /** Raw records, mapped by the pure core (shared/domain/mis). */
  data: unknown[];
  /** Opaque pointer to the next page (Wonde: `meta.pagination.next`), absent on the last. */
  next?: string;
}

export interface MisPageRequest {
  resource: MisResource;
  /** Records changed after this instant (RFC 3339); absent reads everything. */
  updatedAfter?: string;
  /** Continue from a page pointer a previous page returned. */
  next?: string;
}

export interface MisSource {
  /** Throws MisAccessError on a revoked token, MisUnavailableError when retries ran out. */
  page(connection: { misSchoolId: string; token: string }, request: MisPageRequest): Promise<MisPage>;
}

/** 401/403: the school revoked the app's access (or the token is wrong). Retrying cannot help. */
export class MisAccessError extends Error {
  override name = 'MisAccessError';
  constructor(readonly status: number) {
    super(`MIS answered ${status}: access revoked or token invalid`);
  }
}

/** 429/5xx/network after every retry: the next scheduled sync resumes from the checkpoint. */
export class MisUnavailableError extends Error {
  override name = 'MisUnavailableError';
}

/** A page pointer the MIS no longer accepts (e.g. 404/410 on a stale `next`): restart from the cursor. */
export class MisPageGoneError extends Error {
  override name = 'MisPageGoneError';
}

export type MisConnectionState = 'connected' | 'revoked' | 'pending';

export interface MisCheckpoint {
  resource: MisResource;
  /** Page pointer of the first page not yet stored. */
  next: string;
  /** When this pass over the resource started: the cursor it ends with. */
  startedAt: string;
}

export interface MisConnection {
  schoolId: string;
  provider: 'wonde';
  misSchoolId: string;
  state: MisConnectionState;
  /** Why the state is what it is (e.g. `401 from Wonde`, `accessRevoked webhook`). */
  reason?: string;
  stateChangedAt: string;
  /** Per resource: everything changed up to here is stored. */
  cursors: Partial<Record<MisResource, string>>;
  checkpoint?: MisCheckpoint;
  lastSyncAt?: string;
}

export interface MisConnectionStore {
  get(schoolId: string): Promise<MisConnection | undefined>;
  list(): Promise<MisConnection[]>;
  /** Creates or replaces the connection (connect / reconnect); cursors start empty. */
  put(connection: MisConnection): Promise<void>;
  /** Saves progress only while the connection is still `connected`; false otherwise. */
  saveProgress(schoolId: string, progress: Pick<MisConnection, 'cursors' | 'checkpoint' | 'lastSyncAt'>): Promise<boolean>;
  /** Moves to `state` when it is not already there; true when this call changed it. */
  setState(schoolId: string, state: MisConnectionState, reason: string, at: string): Promise<boolean>;
}

export interface MisTokenStore {
  get(schoolId: string): Promise<string | undefined>;
  put(schoolId: string, token: string): Promise<void>;
  /** The shared secret in the lifecycle webhook's URL (one per deployment). */
  webhookKey(): Promise<string | undefined>;
  putWebhookKey(key: string): Promise<void>;
}

/** Tells the trust's operators something needs a person (revoked access). */
export interface OperatorAlerts {
  alert(alert: { schoolId: string; subject: string; detail: string }): Promise<void>;
}

/** Everything the connector needs besides the webhook's core. */
export interface MisAdapters {
  source: MisSource;
  connections: MisConnectionStore;
  tokens: MisTokenStore;
  alerts: OperatorAlerts;
  roster: StoredRoster;
}

/** The roster a deletion re-states without contacts (GetItem of the pupil profile). */
export interface StoredRoster {
  get(schoolId: string, pupilId: string): Promise<{ firstName: string; lastName: string; yearGroup: string; dateOfBirth?: string } | undefined>;
}
