import { timingSafeEqual } from 'node:crypto';
import type { Clock, SchoolDirectory } from '../ports';
import type { MisAdapters, MisConnection } from '../ports/mis';
import { SchoolError } from './schools';

/** Connecting a school to Wonde (`tracker school connect`) and Wonde's access lifecycle webhook. */

export interface ConnectDependencies {
  schools: SchoolDirectory;
  clock: Clock;
  mis: Pick<MisAdapters, 'connections' | 'tokens'>;
}

const wondeIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Stores the token as a secret, then marks the school connected. Reconnecting the same Wonde
 * school keeps its cursors (nothing is read twice); another Wonde school starts from scratch.
 */
export async function connectSchool(input: { schoolId: string; misSchoolId: string; token: string }, deps: ConnectDependencies): Promise<MisConnection> {
  if (!wondeIdPattern.test(input.misSchoolId)) throw new SchoolError('--wonde-school must be a Wonde school id (letters, digits, _ and -)');
  const token = input.token.trim();
  if (!/^[\x21-\x7e]{16,512}$/.test(token)) throw new SchoolError('the token file must hold one Wonde API token (16 to 512 printable characters)');
  if (!(await deps.schools.get(input.schoolId))) throw new SchoolError(`no school with id ${input.schoolId}`);
  const previous = await deps.mis.connections.get(input.schoolId);
  const same = previous?.misSchoolId === input.misSchoolId;
  await deps.mis.tokens.put(input.schoolId, token);
  const connection: MisConnection = {
    schoolId: input.schoolId,
    provider: 'wonde',
    misSchoolId: input.misSchoolId,
    state: 'connected',
    reason: 'connected by trust IT',
    stateChangedAt: deps.clock.now().toISOString(),
    cursors: same ? previous!.cursors : {},
    ...(same && previous!.checkpoint ? { checkpoint: previous!.checkpoint } : {}),
  };
  await deps.mis.connections.put(connection);
  return connection;
}

export interface LifecycleRequest {
  /** The shared key from the webhook URL (`/v1/mis/wonde/{key}`). */
  key: string;
  body: string;
}

export type LifecycleResponse = { status: 200 | 202 | 400 | 401; body: Record<string, unknown> };

/**
 * Wonde's `schoolApproved` / `accessRevoked`. Wonde allows no signature, so the URL carries a
 * shared key (compared in constant time): anyone who learns the URL can send these, which is
 * why they can only move a connection trust IT already made between connected and revoked,
 * and never add a school or change a token (docs/mis-connector.md).
 */
export async function receiveWondeLifecycle(request: LifecycleRequest, deps: { clock: Clock; mis: MisAdapters }): Promise<LifecycleResponse> {
  const expected = await deps.mis.tokens.webhookKey();
  if (!expected || !sameKey(request.key, expected)) return { status: 401, body: { error: 'unknown webhook key' } };
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    return { status: 400, body: { error: 'body is not valid JSON' } };
  }
  const type = String(payload.payload_type ?? payload.type ?? payload.event ?? '');
  const misSchoolId = String(payload.school_id ?? (payload.school as { id?: unknown } | undefined)?.id ?? '');
  if (!['schoolApproved', 'accessRevoked'].includes(type) || !misSchoolId) {
    return { status: 400, body: { error: 'expected payload_type schoolApproved or accessRevoked, and school_id' } };
  }
  const connection = (await deps.mis.connections.list()).find((candidate) => candidate.misSchoolId === misSchoolId);
  // Unknown Wonde school: acknowledged (so Wonde stops retrying) and ignored.
  if (!connection) return { status: 202, body: { status: 'ignored', reason: 'no school is connected to this Wonde school' } };
  const now = deps.clock.now().toISOString();
  if (type === 'accessRevoked') {
    const changed = await deps.mis.connections.setState(connection.schoolId, 'revoked', 'accessRevoked webhook from Wonde', now);
    if (changed) {
      await deps.mis.alerts.alert({
        schoolId: connection.schoolId,
        subject: `Wonde access revoked for school ${connection.schoolId}`,
        detail: 'Wonde reported accessRevoked: the sync has stopped until the school approves the app again.',
      });
    }
    return { status: 200, body: { status: changed ? 'revoked' : 'unchanged', schoolId: connection.schoolId } };
  }
  const changed = await deps.mis.connections.setState(connection.schoolId, 'connected', 'schoolApproved webhook from Wonde', now);
  return { status: 200, body: { status: changed ? 'connected' : 'unchanged', schoolId: connection.schoolId } };
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
