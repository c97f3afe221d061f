import { wondePage } from '../../domain/mis/wonde-page';
import { MisAccessError, MisPageGoneError, MisUnavailableError, type MisPage, type MisPageRequest, type MisResource, type MisSource } from '../../ports/mis';

/** A 4xx other than 401/403/429: a request Wonde will never accept (retrying cannot help). */
class WondeRequestError extends Error {
  override name = 'WondeRequestError';
}

/** Wonde's API for UK schools; tests and the local stack point WONDE_BASE_URL at a fake. */
export const wondeDefaultBaseUrl = 'https://api.wonde.com/v1.0';

export interface WondeSourceOptions {
  baseUrl?: string;
  /** Records per page (`per_page`); Wonde's default when absent. */
  pageSize?: number;
  /** Attempts per page on 429/5xx/network errors before giving up until the next sync. */
  maxAttempts?: number;
  /** A Retry-After longer than this ends the sync for now (the checkpoint keeps the place). */
  maxWaitMs?: number;
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

const paths: Record<MisResource, (school: string) => string> = {
  'attendance-codes': () => '/attendance-codes',
  students: (school) => `/schools/${school}/students`,
  leavers: (school) => `/schools/${school}/students-leaver`,
  deletions: (school) => `/schools/${school}/deletions`,
  attendance: (school) => `/schools/${school}/attendance/session`,
};
const includes: Partial<Record<MisResource, string>> = {
  students: 'contacts,contacts.contact_details,year',
  leavers: 'year',
};

/** `2026-11-23T08:50:00.000Z` → `2026-11-23 08:50:00`, the form Wonde's `updated_after` takes. */
export const wondeTimestamp = (instant: string) => instant.slice(0, 19).replace('T', ' ');

/** Seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Wonde over fetch: bearer token, `updated_after`, `meta.pagination.next`. A 429 or 5xx is
 * retried after Retry-After (or an exponential backoff); 401/403 throws MisAccessError at
 * once. The token is sent only to the base URL's origin, even if a `next` pointed elsewhere.
 */
export class WondeSource implements MisSource {
  private readonly base: URL;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WondeSourceOptions = {}) {
    this.base = new URL((options.baseUrl ?? wondeDefaultBaseUrl).replace(/\/$/, ''));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetch = options.fetch ?? fetch;
  }

  async page(connection: { misSchoolId: string; token: string }, request: MisPageRequest): Promise<MisPage> {
    const url = request.next ? this.sameOrigin(request.next) : this.firstPage(connection.misSchoolId, request);
    const body = await this.get(url, connection.token, request.next !== undefined);
    const parsed = wondePage.safeParse(body);
    if (!parsed.success) throw new MisUnavailableError(`${request.resource}: the answer is not a Wonde page`);
    const next = parsed.data.meta?.pagination?.next ?? undefined;
    return { data: parsed.data.data, ...(next ? { next } : {}) };
  }

  private firstPage(misSchoolId: string, request: MisPageRequest): URL {
    const url = new URL(`${this.base.href}${paths[request.resource](encodeURIComponent(misSchoolId))}`);
    const include = includes[request.resource];
    if (include) url.searchParams.set('include', include);
    if (request.updatedAfter) url.searchParams.set('updated_after', wondeTimestamp(request.updatedAfter));
    if (this.options.pageSize) url.searchParams.set('per_page', String(this.options.pageSize));
    return url;
  }

  private sameOrigin(next: string): URL {
    const url = new URL(next, this.base);
    if (url.origin !== this.base.origin) throw new MisPageGoneError('next page is on another host; restarting from the cursor');
    return url;
  }

  private async get(url: URL, token: string, isNextPage: boolean): Promise<unknown> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    const maxWaitMs = this.options.maxWaitMs ?? 60_000;
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      let failure: string;
      try {
        const response = await this.fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
        });
        if (response.ok) return await response.json();
        await response.body?.cancel();
        if (response.status === 401 || response.status === 403) throw new MisAccessError(response.status);
        if (isNextPage && (response.status === 404 || response.status === 410)) throw new MisPageGoneError(`next page answered ${response.status}`);
        if (response.status !== 429 && response.status < 500) throw new WondeRequestError(`Wonde answered ${response.status}`);
        wait = retryAfterMs(response.headers.get('retry-after'));
        failure = `Wonde answered ${response.status}`;
      } catch (error) {
        if (error instanceof MisAccessError || error instanceof MisPageGoneError || error instanceof WondeRequestError) throw error;
        failure = `network: ${(error as Error).name}`;
      }
      if (attempt >= maxAttempts) throw new MisUnavailableError(`${failure} after ${attempt} attempts`);
      const backoff = wait ?? Math.min(30_000, 500 * 2 ** (attempt - 1));
      if (backoff > maxWaitMs) throw new MisUnavailableError(`${failure}; Retry-After ${Math.round(backoff / 1000)} s is past this run's budget`);
      await this.sleep(backoff);
    }
  }
}
