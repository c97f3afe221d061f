import fc from 'fast-check';
import { type EventType, type RawEvent, typeSpecs, unfileableAt, validEvent } from './events';

/**
 * Mutations: what an event becomes, and whether it is then certainly valid, certainly invalid,
 * or unknown (only the invariants are checked).
 */

export type Verdict = 'valid' | 'invalid' | 'unknown';
export interface Shaped {
  event: unknown;
  verdict: Verdict;
  /** For a rejection the case is sure about: the error path expected among the errors. */
  path?: string;
  /** Raw JSON text to splice in for this event (deep nesting), replacing its placeholder. */
  splice?: { placeholder: string; json: string };
}

/** A valid event, unless its date cannot be filed. */
export const asValid = (event: RawEvent, extra: Partial<Shaped> = {}): Shaped => {
  const path = unfileableAt(event);
  return path ? { event, verdict: 'invalid', path, ...extra } : { event, verdict: 'valid', ...extra };
};

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** An own, enumerable `__proto__` (or any) key, as JSON.parse would make it. */
export const defineOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function objectsIn(value: unknown, path: string[] = [], found: { at: string[]; object: Record<string, unknown> }[] = []) {
  if (Array.isArray(value)) value.forEach((item, index) => objectsIn(item, [...path, String(index)], found));
  else if (value && typeof value === 'object') {
    found.push({ at: path, object: value as Record<string, unknown> });
    for (const [key, child] of Object.entries(value)) objectsIn(child, [...path, key], found);
  }
  return found;
}

function leavesIn(value: unknown, path: string[] = [], found: { at: string[]; value: unknown }[] = []) {
  if (Array.isArray(value)) value.forEach((item, index) => leavesIn(item, [...path, String(index)], found));
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) leavesIn(child, [...path, key], found);
  else found.push({ at: path, value });
  return found;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown) {
  let node: any = root;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)!] = value;
}

const otherJsonType = (value: unknown) =>
  typeof value === 'string'
    ? fc.constantFrom(1, true, null, [], {})
    : typeof value === 'number'
      ? fc.constantFrom('1', true, null, [], {})
      : fc.constantFrom('true', 1, null, [], {});

const requiredEnvelope = (event: RawEvent) => ['eventId', 'type', 'occurredAt', 'data', ...(event.type === 'restorative.session.recorded' ? [] : ['pupilId'])];

const badTypes = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'Incident.Recorded',
  ' incident.recorded',
  'incident.recorded ',
  '',
  'pupil.deleted',
  'restrictive.intervention',
  'outcome.measure.recorded.v2',
  1,
  null,
  ['incident.recorded'],
  {},
];
const badEventIds = ['', 'x'.repeat(129), 'has space', 'a#b', 'a/b', 'é', 'a\u0000', 12, null, ['a'], {}];
const badOccurredAts = [
  '2026-11-23T08:50:00',
  '2026-11-23 08:50:00Z',
  '2026-11-23T24:00:00Z',
  '2026-11-23T08:60:00Z',
  '2026-02-29T00:00:00Z',
  '2026-11-23T08:50:00+24:00',
  '2026-11-23T08:50:00+0100',
  '23/11/2026',
  '',
  1_700_000_000,
  null,
];
/** Keys no schema knows, among them those that poison prototypes and the SDQ's licensed `items`. */
const unknownKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'vendorExtra', 'items', 'eventIds', 'pk', 'schoolId'];

const invalidAt = (event: unknown, path: string): Shaped => ({ event, verdict: 'invalid', path });

/** The envelope broken: a required field missing, or a bad type, eventId, occurredAt or data. */
function brokenEnvelope(base: RawEvent): fc.Arbitrary<Shaped>[] {
  return [
    fc.constantFrom(...requiredEnvelope(base)).map((field) => {
      const event = clone(base);
      delete event[field];
      return invalidAt(event, field);
    }),
    fc.constantFrom(...badTypes).map((value) => invalidAt({ ...clone(base), type: value }, 'type')),
    fc.constantFrom(...badEventIds).map((value) => invalidAt({ ...clone(base), eventId: value }, 'eventId')),
    fc.constantFrom(...badOccurredAts).map((value) => invalidAt({ ...clone(base), occurredAt: value }, 'occurredAt')),
    fc.constantFrom(1, 'x', null, [], true).map((value) => invalidAt({ ...clone(base), data: value }, 'data')),
  ];
}

/** Near-valid data: a required field missing, or a limit of the type broken for sure. */
function brokenData(base: RawEvent): fc.Arbitrary<Shaped>[] {
  const spec = typeSpecs[base.type as EventType];
  return [
    fc.constantFrom(...spec.required).map((field) => {
      const event = clone(base);
      delete (event.data as Record<string, unknown>)[field];
      return invalidAt(event, `data.${field}`);
    }),
    fc.constantFrom(...spec.overLimits).map(([field, value]) => {
      const event = clone(base);
      (event.data as Record<string, unknown>)[field] = clone(value);
      return invalidAt(event, `data.${field}`);
    }),
  ];
}

/** Unknown keys anywhere, and a deeply nested unknown value: ignored, the event stays valid. */
function ignoredExtras(base: RawEvent): fc.Arbitrary<Shaped>[] {
  return [
    fc.tuple(fc.constantFrom(...unknownKeys), fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([key, value, pick]) => {
      const event = clone(base);
      // Not a restorative participant: an extra key cannot change which branch it matches, but keep it simple.
      const targets = objectsIn(event).filter(({ at }) => !at.includes('participants'));
      const target = targets[pick % targets.length]!;
      if (target.at.length === 0 && ['pk', 'schoolId', 'eventIds'].includes(key)) defineOwn(target.object, `x-${key}`, value);
      else defineOwn(target.object, key, key === '__proto__' ? { polluted: 'yes', ...(typeof value === 'object' && value ? value : {}) } : value);
      return asValid(event);
    }),
    fc.constantFrom(1_000, 10_000).map((depth) => {
      const placeholder = `@@deep${depth}@@`;
      return asValid(
        { ...clone(base), deep: placeholder },
        { splice: { placeholder: JSON.stringify(placeholder), json: `${'['.repeat(depth)}${']'.repeat(depth)}` } },
      );
    }),
    // Deep nesting where an object is required.
    fc.constant(1).map(() => {
      const placeholder = '@@deepdata@@';
      return {
        ...invalidAt({ ...clone(base), data: placeholder }, 'data'),
        splice: { placeholder: JSON.stringify(placeholder), json: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}` },
      };
    }),
  ];
}

/** A leaf of another JSON type: every field of the catalogue has exactly one JSON type. */
function wrongLeafType(base: RawEvent): fc.Arbitrary<Shaped> | undefined {
  const leaves = leavesIn(base.data);
  if (leaves.length === 0) return undefined;
  return fc.nat().chain((pick) => {
    const leaf = leaves[pick % leaves.length]!;
    return otherJsonType(leaf.value).map((value) => {
      const event = clone(base);
      setAt(event.data as Record<string, unknown>, leaf.at, value);
      // Inside a restorative participant a wrong type can make it the other branch of the union: unknown.
      return { event, verdict: (leaf.at[0] === 'participants' ? 'unknown' : 'invalid') as Verdict };
    });
  });
}

/** Valid for the catalogue, but not for DynamoDB: a number this close to 0, an item over 400 KB. */
function unstorable(base: RawEvent): fc.Arbitrary<Shaped>[] {
  const type = base.type as EventType;
  if (type !== 'intervention.started' && type !== 'intervention.session.recorded') return [];
  const tiny = fc.constant(1).map(() => {
    const event = clone(base);
    const data = event.data as Record<string, any>;
    if (type === 'intervention.started') data.targets = [{ targetId: 'T1', area: 'social', description: 'd', baseline: 1e-200, goal: 5 }];
    else data.targetScores = [{ targetId: 'T1', score: 1e-200 }];
    return invalidAt(event, type === 'intervention.started' ? 'data.targets.0.baseline' : 'data.targetScores.0.score');
  });
  if (type !== 'intervention.started') return [tiny];
  // 45 targets of 10,000 characters: within the catalogue's limits, over the item size.
  const large = fc.constant(1).map(() => {
    const event = clone(base);
    (event.data as Record<string, unknown>).targets = Array.from({ length: 45 }, (_, n) => ({
      targetId: `T${n}`,
      area: 'learning',
      description: 'd'.repeat(10_000),
      baseline: 1,
      goal: 2,
    }));
    return invalidAt(event, 'data');
  });
  return [tiny, large];
}

function mutate(base: RawEvent): fc.Arbitrary<Shaped> {
  const leaf = wrongLeafType(base);
  return fc.oneof(...brokenEnvelope(base), ...brokenData(base), ...ignoredExtras(base), ...(leaf ? [leaf] : []), ...unstorable(base));
}

/** Not an object at all. */
const notAnEvent = fc.constantFrom<unknown>(null, 1, 'event', [], [1], true).map((event): Shaped => invalidAt(event, '(event)'));

/** One item of a body: valid, mutated from a valid event, or not an event at all. */
export const eventItem: fc.Arbitrary<Shaped> = fc.oneof(
  { weight: 6, arbitrary: validEvent().map((event) => asValid(event)) },
  // Mutated from a fileable event, so that a storage-level rejection is the one expected.
  {
    weight: 5,
    arbitrary: validEvent()
      .filter((event) => !unfileableAt(event))
      .chain(mutate),
  },
  { weight: 1, arbitrary: notAnEvent },
);
