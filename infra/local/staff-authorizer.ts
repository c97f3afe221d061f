import { JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';

/**
 * The local twin of the HTTP API's JWT authorizer (infra/constructs/staff-access.ts): the
 * same checks — RS256 signature by the pool's key, issuer, `client_id` of the app client,
 * `token_use` access, expiry — with aws-jwt-verify, and claims handed on as API Gateway does
 * (strings; an array as `[a b]`).
 */
export interface StaffAuthorizer {
  /** Verified claims, or undefined (answer 401) for a missing, malformed, forged, foreign or expired token. */
  authorize(authorization: string | undefined): Promise<Record<string, string> | undefined>;
}

export async function createStaffAuthorizer(pool: { issuer: string; clientId: string }): Promise<StaffAuthorizer> {
  const verifier = JwtVerifier.create({
    issuer: pool.issuer,
    audience: null, // Cognito access tokens carry `client_id`, not `aud` (checked below, as API Gateway does)
    jwksUri: `${pool.issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      if (payload.client_id !== pool.clientId) throw new Error('token is for another client');
      if (payload.token_use !== 'access') throw new Error('not an access token');
    },
  });
  // aws-jwt-verify fetches keys over HTTPS only; the emulator serves them over loopback HTTP.
  const response = await fetch(`${pool.issuer}/.well-known/jwks.json`);
  verifier.cacheJwks((await response.json()) as Jwks);
  return {
    async authorize(authorization) {
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
      if (!match) return undefined;
      try {
        const payload = await verifier.verify(match[1]!);
        return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]));
      } catch {
        return undefined;
      }
    },
  };
}
