import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature (contract section 3): `v1=` + hex HMAC-SHA256 over
 * `<timestamp>.<raw body>`, keyed by the school's webhook secret.
 */
export const signatureToleranceSeconds = 300;

export function sign(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `v1=${hmac.digest('hex')}`;
}

export interface WebhookSecrets {
  current: string;
  /** The secret before the last rotation, honoured until `previousValidUntil`. */
  previous?: string;
  previousValidUntil?: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Constant-time check against every secret in force now; never says which part failed beyond the reason. */
export function verifySignature(
  secrets: WebhookSecrets,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  rawBody: Buffer,
  now: Date,
): SignatureCheck {
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing X-Tracker-Timestamp or X-Tracker-Signature' };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'X-Tracker-Timestamp must be Unix seconds' };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestampHeader));
  if (skew > signatureToleranceSeconds) return { ok: false, reason: 'timestamp is more than 300 s from now' };
  const candidates = [secrets.current];
  if (secrets.previous && secrets.previousValidUntil && now < new Date(secrets.previousValidUntil)) {
    candidates.push(secrets.previous);
  }
  const given = Buffer.from(signatureHeader, 'utf8');
  // Check every candidate (no early exit) so timing doesn't reveal which secret matched.
  let matched = false;
  for (const secret of candidates) {
    const expected = Buffer.from(sign(secret, timestampHeader, rawBody), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
