import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sign, verifySignature } from '../../shared/domain/signature';
import { CachedSecretStore } from '../../shared/adapters/aws/cached-secret-store';
import { receiveWebhook } from '../../shared/services/receive-webhook';
import { FakeEventStore, memoryPorts } from '../reliability/webhook-fuzz/memory';

/**
 * The webhook signature is compared in constant time (structural test, not a timing
 * measurement): node:crypto's timingSafeEqual sees every candidate, always two buffers of
 * equal length, with no early exit, and its answer alone decides.
 */
const spy = vi.hoisted(() => ({ calls: [] as [Buffer, Buffer][], answer: undefined as boolean | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spy.calls.push([Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
      return spy.answer ?? actual.timingSafeEqual(a, b);
    },
  };
});

const now = new Date('2026-11-23T09:00:00Z');
const timestamp = String(now.getTime() / 1000);
const body = Buffer.from('{"events":[]}');
const current = 'c'.repeat(64);
const previous = 'p'.repeat(64);
const withPrevious = { current, previous, previousValidUntil: new Date(now.getTime() + 3_600_000).toISOString() };

beforeEach(() => {
  spy.calls.length = 0;
  spy.answer = undefined;
});

describe('constant-time signature comparison', () => {
  it('compares with timingSafeEqual, on buffers of equal length', () => {
    expect(verifySignature({ current }, timestamp, sign(current, timestamp, body), body, now)).toEqual({ ok: true });
    expect(spy.calls).toHaveLength(1);
    const [[given, expected]] = spy.calls as [[Buffer, Buffer]];
    expect(given.length).toBe(expected.length);
  });

  it('checks every secret in force, with no early exit, whether the signature matches the first, the second or none', () => {
    for (const signature of [sign(current, timestamp, body), sign(previous, timestamp, body), sign('x'.repeat(64), timestamp, body)]) {
      spy.calls.length = 0;
      verifySignature(withPrevious, timestamp, signature, body, now);
      expect(spy.calls, signature).toHaveLength(2);
      for (const [a, b] of spy.calls) expect(a.length).toBe(b.length);
    }
  });

  it("timingSafeEqual's answer alone decides: forced false refuses the right signature, forced true takes a wrong one of the same length", () => {
    spy.answer = false;
    expect(verifySignature({ current }, timestamp, sign(current, timestamp, body), body, now).ok).toBe(false);
    spy.answer = true;
    expect(verifySignature({ current }, timestamp, `v1=${'0'.repeat(64)}`, body, now).ok).toBe(true);
  });

  it('a signature of another length is refused without comparing contents (the length is public: v1= and 64 hex)', () => {
    expect(verifySignature({ current }, timestamp, 'v1=00', body, now).ok).toBe(false);
    expect(spy.calls).toHaveLength(0);
  });

  it('the webhook goes through it: a signed request is compared in constant time against both secrets in force', async () => {
    const events = new FakeEventStore();
    const ports = memoryPorts(now, { current, previous, retired: 'r'.repeat(64) });
    const answer = await receiveWebhook(
      { schoolId: 'fuzz', contentType: 'application/json', timestamp, signature: sign(previous, timestamp, body), body },
      { ...ports, events },
    );
    expect(answer.status).toBe(400); // signature accepted; an empty events list is then a bad body
    expect(spy.calls).toHaveLength(2);
  });

  it('no other comparison of signatures in the source: no ===, ==, equals() or compare() on them', () => {
    const source = readFileSync(new URL('../../shared/domain/signature.ts', import.meta.url), 'utf8');
    expect(source).toMatch(/timingSafeEqual\(expected, given\)/);
    expect(source).not.toMatch(/(given|expected|signature\w*)\s*[!=]==?\s*(given|expected|sign\()/);
    expect(source).not.toMatch(/\.(equals|compare|localeCompare)\(/);
  });
});

describe('an unknown school and a known one with a bad signature cost the same', () => {
  it('both read the secret store twice (cached, then fresh) and answer the same 401', async () => {
    const ports = memoryPorts(now, { current, previous, retired: 'r'.repeat(64) });
    const reads: string[] = [];
    const secrets = {
      ...ports.secrets,
      get: async (schoolId: string, options?: { fresh?: boolean }) => {
        reads.push(`${schoolId}${options?.fresh ? ' fresh' : ''}`);
        return ports.secrets.get(schoolId);
      },
    };
    const badSignature = sign('x'.repeat(64), timestamp, body);
    const answers = [];
    for (const schoolId of ['fuzz', 'no-such-school']) {
      answers.push(
        await receiveWebhook(
          { schoolId, contentType: 'application/json', timestamp, signature: badSignature, body },
          { ...ports, secrets, events: new FakeEventStore() },
        ),
      );
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(reads).toEqual(['fuzz', 'fuzz fresh', 'no-such-school', 'no-such-school fresh']);
  });

  it('the Lambda cache serves a fresh read from memory within 10 s of the last, so bad signatures cannot drive store reads', async () => {
    let reads = 0;
    const store = new CachedSecretStore({
      get: async () => {
        reads++;
        return { current };
      },
      create: async () => true,
      replace: async () => {},
    });
    await store.get('oak');
    await store.get('oak', { fresh: true });
    await store.get('unknown', { fresh: true });
    await store.get('unknown', { fresh: true });
    expect(reads).toBe(2);
  });
});
