import { describe, expect, it } from 'vitest';
import { sign, verifySignature } from '../../shared/domain/signature';

const body = Buffer.from('{"events":[]}');
const now = new Date('2026-11-23T09:00:00Z');
const ts = String(now.getTime() / 1000);

describe('webhook signature', () => {
  it('is v1= and hex HMAC-SHA256 of "<timestamp>.<body>" (known vector)', () => {
    // printf '1795424400.{"events":[]}' | openssl dgst -sha256 -hmac secret
    expect(sign('secret', '1795424400', body)).toBe('v1=5c113565d53a6422054aa14016c9c7a8ba23f3715cf721754f03e9b0bf4e88d4');
  });

  it('accepts the current secret within 300 s either way', () => {
    const secrets = { current: 'a' };
    expect(verifySignature(secrets, ts, sign('a', ts, body), body, now)).toEqual({ ok: true });
    expect(verifySignature(secrets, ts, sign('a', ts, body), body, new Date(now.getTime() + 300_000)).ok).toBe(true);
    expect(verifySignature(secrets, ts, sign('a', ts, body), body, new Date(now.getTime() + 301_000)).ok).toBe(false);
    expect(verifySignature(secrets, ts, sign('a', ts, body), body, new Date(now.getTime() - 301_000)).ok).toBe(false);
  });

  it('rejects another body, another timestamp, another secret, and malformed headers', () => {
    const secrets = { current: 'a' };
    expect(verifySignature(secrets, ts, sign('a', ts, '{"events":[1]}'), body, now).ok).toBe(false);
    expect(verifySignature(secrets, String(Number(ts) + 1), sign('a', ts, body), body, now).ok).toBe(false);
    expect(verifySignature(secrets, ts, sign('b', ts, body), body, now).ok).toBe(false);
    expect(verifySignature(secrets, undefined, sign('a', ts, body), body, now).ok).toBe(false);
    expect(verifySignature(secrets, '12.5', sign('a', ts, body), body, now).ok).toBe(false);
    expect(verifySignature(secrets, ts, sign('a', ts, body).toUpperCase(), body, now).ok).toBe(false);
  });

  it('honours the previous secret only until previousValidUntil', () => {
    const secrets = { current: 'new', previous: 'old', previousValidUntil: '2026-11-24T09:00:00Z' };
    expect(verifySignature(secrets, ts, sign('old', ts, body), body, now).ok).toBe(true);
    const later = new Date('2026-11-24T09:00:01Z');
    const laterTs = String(later.getTime() / 1000);
    expect(verifySignature(secrets, laterTs, sign('old', laterTs, body), body, later).ok).toBe(false);
    expect(verifySignature(secrets, laterTs, sign('new', laterTs, body), body, later).ok).toBe(true);
  });
});
