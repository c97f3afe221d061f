import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { addStaff, staffToken } from '../../infra/cli/staff';
import { localTarget, type CliTarget } from '../../infra/cli/targets';
import type { StaffRole } from '../../shared/domain/staff-access';
import type { TestStack } from './local-stack';

/** Staff users and staff API calls against a test stack, through the CLI's own code. */
export const staffPassword = 'Correct-Horse-7-Battery';

export interface StaffHelpers {
  target: CliTarget;
  add(email: string, role: StaffRole, schoolId?: string): Promise<{ userId: string }>;
  /** A fresh access token (signs in again each time). */
  token(email: string): Promise<string>;
  api(token: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** One page (up to 100) of a pupil's chronology as this user sees it; fails the test unless 200. */
  chronology(email: string, schoolId: string, pupilId: string): Promise<Record<string, unknown>[]>;
}

export async function staffHelpers(stack: TestStack): Promise<StaffHelpers> {
  const target = await localTarget(stack.port);
  const helpers: StaffHelpers = {
    target,
    add: (email, role, schoolId) => addStaff({ email, role, school: schoolId, password: staffPassword }, target),
    token: async (email) => (await staffToken({ email, password: staffPassword }, target)).accessToken,
    async api(token, method, path, body, headers = {}) {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async chronology(email, schoolId, pupilId) {
      const response = await helpers.api(await helpers.token(email), 'GET', `/v1/schools/${schoolId}/pupils/${pupilId}/chronology?limit=100`);
      if (response.status !== 200) throw new Error(`chronology of ${pupilId} as ${email}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.entries;
    },
  };
  return helpers;
}

/**
 * A JWT signed by `pem` (RS256): tests forge tokens with cognito-local's published key (to
 * prove expiry and client checks) or with a key of their own (to prove the signature check).
 */
export function signJwt(payload: Record<string, unknown>, pem: string, kid = 'CognitoLocal'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(pem).toString('base64url')}`;
}

export const emulatorPrivateKey = (): string =>
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve('cognito-local/lib/keys/cognitoLocal.private.json'), 'utf8')).pem;

export const strangerPrivateKey = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

export const decodeJwt = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
