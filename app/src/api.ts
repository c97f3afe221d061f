import type { PoolConfig } from '../../shared/auth/sign-in';

/** The app's view of the server: its config, and staff API calls with the signed-in token. */
export interface AppConfig {
  cognito: PoolConfig;
}

export interface Me {
  userId: string;
  role: 'staff' | 'dsl' | 'leader' | 'trust';
  schoolId: string | null;
  schools: { schoolId: string; name: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string } | undefined,
  ) {
    super(body?.error ?? body?.message ?? `request failed (${status})`);
  }
}

let accessToken: string | undefined;
let onSignedOut: () => void = () => {};

/** The token lives in memory only: closing the tab signs out. */
export function setSession(token: string | undefined, signedOut?: () => void) {
  accessToken = token;
  if (signedOut) onSignedOut = signedOut;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/app/config.json');
  return response.json();
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${accessToken ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (response.status === 401) onSignedOut();
  // 207 and 422 carry per-event results the form shows.
  if (!response.ok && response.status !== 422) throw new ApiError(response.status, parsed);
  return parsed as T;
}

export const schoolPath = (me: Me, rest: string) => `/v1/schools/${encodeURIComponent(me.schoolId ?? '')}${rest}`;
