import fc from 'fast-check';
import type { WritePlan } from '../../../shared/domain/records';
import type { EventStore, SchoolProfile, StoreOutcome, WebhookSecretStore } from '../../../shared/ports';
import { receiveWebhook } from '../../../shared/services/receive-webhook';
import { type Answer, checkAnswer, newTally, type CaseTally } from './answers';
import { caseArbitrary, type Secrets } from './cases';
import { fuzzSchool } from './events';

/** The fast driver: receiveWebhook with in-memory ports shaped like DynamoDB (the limits a real table would enforce). */

/** DynamoDB's item size: attribute names + values (strings UTF-8, numbers ~digits/2, 3 bytes per list/map plus 1 per element). */
export function dynamoSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.e+-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Set) return [...value].reduce((sum: number, member) => sum + dynamoSize(member), 3);
  if (Array.isArray(value)) return value.reduce((sum: number, member) => sum + dynamoSize(member) + 1, 3);
  if (typeof value === 'object')
    return Object.entries(value as object).reduce(
      (sum, [name, member]) => (member === undefined ? sum : sum + Buffer.byteLength(name) + dynamoSize(member) + 1),
      3,
    );
  return 0;
}

class ValidationException extends Error {
  override name = 'ValidationException';
}

function assertStorable(item: Record<string, unknown>): void {
  const keyLimits: [string, number][] = [
    ['pk', 2048],
    ['sk', 1024],
    ['gsi1pk', 2048],
    ['gsi1sk', 1024],
    ['gsi2pk', 2048],
    ['gsi2sk', 1024],
  ];
  for (const [name, limit] of keyLimits) {
    const value = item[name];
    if (value === undefined && (name === 'pk' || name === 'sk')) throw new ValidationException(`missing key ${name}`);
    if (value !== undefined && (typeof value !== 'string' || value === '' || Buffer.byteLength(value) > limit))
      throw new ValidationException(`key ${name} invalid`);
  }
  const numbers = (value: unknown): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new ValidationException('a number that is not finite');
      if (value !== 0 && (Math.abs(value) < 1e-130 || Math.abs(value) >= 1e126)) throw new ValidationException('Number underflow/overflow');
    } else if (value instanceof Set) {
      if (value.size === 0) throw new ValidationException('an empty set');
    } else if (value && typeof value === 'object') Object.values(value).forEach(numbers);
  };
  numbers(item);
  if (dynamoSize(item) > 400 * 1024) throw new ValidationException('Item size has exceeded the maximum allowed size');
  if (typeof item.expiresAt !== 'number' || !Number.isInteger(item.expiresAt)) throw new ValidationException('no expiresAt');
  for (const key of Object.keys(item.data ?? {}))
    if (['__proto__', 'constructor', 'prototype', 'vendorExtra', 'items', 'deep'].includes(key)) throw new Error(`unknown field ${key} stored`);
}

/** Records what would be written, with DynamoDB's idempotency (eventId per school) and limits. */
export class FakeEventStore implements EventStore {
  readonly stored = new Map<string, WritePlan>();
  async store(plan: WritePlan): Promise<StoreOutcome> {
    const items =
      plan.kind === 'mark'
        ? [{ ...plan.mark.key, ...plan.mark.attributes, eventIds: new Set([plan.eventId]) }]
        : [plan.journal, ...plan.participants, ...(plan.profile ? [{ ...plan.profile.key, ...plan.profile.attributes }] : [])];
    items.forEach((item) => assertStorable(item as Record<string, unknown>));
    if (this.stored.has(plan.eventId)) return 'duplicate';
    this.stored.set(plan.eventId, plan);
    return 'accepted';
  }
  async incidentWeeks(): Promise<string[]> {
    return [];
  }
  async markWeeksChanged(): Promise<void> {}
}

export function memoryPorts(now: Date, secrets: Secrets) {
  const school: SchoolProfile = { ...fuzzSchool, name: 'Fuzz School', leaders: ['head@fuzz.example.org'], createdAt: now.toISOString() };
  const secretStore: WebhookSecretStore = {
    get: async (schoolId) =>
      schoolId === fuzzSchool.schoolId
        ? { current: secrets.current, previous: secrets.previous, previousValidUntil: new Date(now.getTime() + 3_600_000).toISOString() }
        : undefined,
    create: async () => false,
    replace: async () => {},
  };
  return {
    schools: {
      get: async (schoolId: string) => (schoolId === fuzzSchool.schoolId ? school : undefined),
      create: async () => false,
      list: async () => [school],
    },
    secrets: secretStore,
    clock: { now: () => now },
  };
}

/** Object.prototype as it was before any case ran: a case that pollutes it fails. */
export function prototypeGuard() {
  const names = Object.getOwnPropertyNames(Object.prototype).sort().join();
  return () => {
    if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== names) throw new Error('Object.prototype was modified');
    if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
  };
}

/** Runs `runs` cases through receiveWebhook with in-memory ports; throws on the first counterexample. */
export async function fuzzInMemory(runs: number, seed?: number): Promise<CaseTally> {
  const now = new Date('2026-11-23T09:00:00Z');
  const secrets: Secrets = { current: 'c'.repeat(64), previous: 'p'.repeat(64), retired: 'r'.repeat(64) };
  const ports = memoryPorts(now, secrets);
  const unpolluted = prototypeGuard();
  const tally = newTally();
  await fc.assert(
    fc.asyncProperty(
      caseArbitrary(() => now, secrets, 'o'.repeat(64)),
      async (fuzzCase) => {
        const events = new FakeEventStore();
        let answer: Answer;
        try {
          answer = await receiveWebhook({ ...fuzzCase.request }, { ...ports, events });
        } catch (error) {
          // The handler answers 503 to anything thrown: with a healthy store that is a bug.
          answer = { status: 503, body: { error: `${(error as Error).name}: ${(error as Error).message}` } };
        }
        checkAnswer(fuzzCase, answer, tally, new Set(events.stored.keys()));
        unpolluted();
      },
    ),
    { numRuns: runs, seed, endOnFailure: true },
  );
  return tally;
}
