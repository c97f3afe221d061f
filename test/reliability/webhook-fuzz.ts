import fc from 'fast-check';
import { attendanceCodes } from '../../events/attendance-codes';
import { interventionKinds, interventionOutcomes } from '../../events/intervention';
import { notifyForKinds, yearGroups } from '../../events/pupil';
import { restorativeFormats } from '../../events/restorative';
import { dateInZone, isoWeekOf } from '../../shared/domain/calendar';
import { attendanceMarkKey, journalKey } from '../../shared/domain/keys';
import { planWrite, type WritePlan } from '../../shared/domain/records';
import { trackerEvent } from '../../events/catalogue';
import { sign } from '../../shared/domain/signature';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../../shared/adapters/aws/dynamodb';
import type { EventStore, SchoolProfile, StoreOutcome, WebhookSecretStore } from '../../shared/ports';
import { maxBodyBytes, receiveWebhook, type WebhookRequest } from '../../shared/services/receive-webhook';

/**
 * Property-based fuzzing of the webhook (contract section 3) with fast-check: envelopes,
 * every event type, headers, encodings, huge and deep JSON, `__proto__`/`constructor` keys.
 * One generator of cases serves two drivers: `receiveWebhook` with in-memory ports shaped
 * like DynamoDB (fast: the bulk of the cases) and real HTTP against the local stack.
 *
 * A case knows what it expects where that is certain (415/413/401/400, an event built valid,
 * an event broken for sure) and otherwise checks invariants: never a 5xx, one result per
 * event in order, a non-empty `path` in every error, the status matching the results, and
 * no rejected event's id stored.
 */

export const fuzzSchool = { schoolId: 'fuzz', timezone: 'Europe/London' };

// ---------------------------------------------------------------------------------------------
// Strings and values

/** Strings a key builder, a parser or a template might trip on; all valid where free text is. */
const nasty = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '#',
  '%',
  '%23',
  'PUPIL#x',
  'SCHOOL#other#EVENT#e',
  "'; DROP TABLE x; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup string is one of the inputs on purpose
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '\u0000',
  '\u202e',
  '\ud83d\ude00',
  'a\ud800b',
  '\uffff',
  '   ',
  'NaN',
  'null',
  '{}',
];

/** Free text of at most `max` UTF-16 units: usually short and any code point, sometimes long, sometimes nasty. */
const text = (max: number, min = 0) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(40, Math.floor(max / 2)) }) },
    { weight: 3, arbitrary: fc.constantFrom(...nasty.filter((value) => value.length >= min && value.length <= max)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: Math.max(min, max - 5), maxLength: max }) },
  );
const id = text(128, 1);
const shortId = text(64, 1);
const bool = fc.boolean();
/** Scores 0..10: integers and fractions, all storable (the tiny ones are a separate mutation). */
const score = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0.001, max: 10, noNaN: true }), fc.constant(0));
const isoDate = fc
  .oneof(
    { weight: 10, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }) },
    { weight: 1, arbitrary: fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }) },
  )
  .map((date) => date.toISOString().slice(0, 10));
const offset = fc.oneof(
  { weight: 3, arbitrary: fc.constant('Z') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([sign, hours, minutes]) => `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`),
  },
);
const occurredAt = fc
  .tuple(
    fc.oneof(
      { weight: 10, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }) },
      { weight: 1, arbitrary: fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }) },
    ),
    fc.option(fc.integer({ min: 0, max: 999_999_999 }), { nil: undefined }),
    offset,
  )
  .map(([date, fraction, zone]) => `${date.toISOString().slice(0, 19)}${fraction === undefined ? '' : `.${fraction}`}${zone}`);
const email = fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,6})?@[a-z0-9]{1,10}\.(org|uk|com|sch\.uk)$/);
const targetScores = (max: number) => fc.array(fc.record({ targetId: id, score }), { maxLength: max });
const some = <T>(arbitrary: fc.Arbitrary<T[]>, big: fc.Arbitrary<T[]>) => fc.oneof({ weight: 10, arbitrary }, { weight: 1, arbitrary: big });

// ---------------------------------------------------------------------------------------------
// Valid events of every type

const contact = fc.record(
  {
    contactId: id,
    name: text(200, 1),
    relationship: text(100, 1),
    parentalResponsibility: bool,
    email,
    phone: text(40),
    notify: bool,
    language: fc.constantFrom('en', 'cy', 'pl', 'ur', 'pt-BR', 'zh-Hant-TW'),
    notifyFor: fc.subarray([...notifyForKinds]),
  },
  { requiredKeys: ['contactId', 'name', 'relationship', 'parentalResponsibility', 'notify'] },
);

const dataByType = {
  'pupil.upserted': fc.record(
    {
      firstName: text(100, 1),
      lastName: text(100, 1),
      yearGroup: fc.constantFrom(...yearGroups),
      dateOfBirth: isoDate,
      sen: fc.constantFrom('none', 'support', 'ehcp'),
      pupilPremium: bool,
      lookedAfter: bool,
      contacts: some(fc.array(contact, { maxLength: 3 }), fc.array(contact, { minLength: 15, maxLength: 20 })),
    },
    { requiredKeys: ['firstName', 'lastName', 'yearGroup'] },
  ),
  'attendance.marked': fc.record(
    { date: isoDate, session: fc.constantFrom('AM', 'PM'), code: fc.constantFrom(...attendanceCodes), minutesLate: fc.nat({ max: 2 ** 40 }) },
    { requiredKeys: ['date', 'session', 'code'] },
  ),
  'intervention.started': fc.record(
    {
      interventionId: id,
      kind: fc.constantFrom(...interventionKinds),
      title: text(200, 1),
      staffId: shortId,
      startDate: isoDate,
      plannedSessions: fc.integer({ min: 0, max: 1000 }),
      groupPupilIds: fc.array(shortId, { maxLength: 5 }),
      targets: some(
        fc.array(
          fc.record({
            targetId: id,
            area: fc.constantFrom('personal', 'social', 'learning', 'behavioural'),
            description: text(10_000),
            baseline: score,
            goal: score,
          }),
          { maxLength: 3 },
        ),
        fc.array(
          fc.record({
            targetId: id,
            area: fc.constant('learning'),
            description: fc.string({ unit: 'grapheme-ascii', maxLength: 2_000 }),
            baseline: score,
            goal: score,
          }),
          { minLength: 40, maxLength: 50 },
        ),
      ),
    },
    { requiredKeys: ['interventionId', 'kind', 'title', 'staffId', 'startDate'] },
  ),
  'intervention.session.recorded': fc.record(
    {
      interventionId: id,
      sessionId: id,
      date: isoDate,
      durationMinutes: fc.integer({ min: 0, max: 1440 }),
      attended: bool,
      engagement: fc.integer({ min: 1, max: 5 }),
      targetScores: some(targetScores(3), targetScores(50)),
      notes: text(10_000),
    },
    { requiredKeys: ['interventionId', 'sessionId', 'date', 'durationMinutes', 'attended'] },
  ),
  'intervention.ended': fc.record(
    { interventionId: id, endDate: isoDate, outcome: fc.constantFrom(...interventionOutcomes), finalScores: targetScores(3), notes: text(10_000) },
    { requiredKeys: ['interventionId', 'endDate', 'outcome'] },
  ),
  'restorative.session.recorded': fc.record(
    {
      sessionId: id,
      date: isoDate,
      format: fc.constantFrom(...restorativeFormats),
      participants: fc
        .tuple(
          fc.record({ pupilId: shortId, role: fc.constantFrom('harmed', 'responsible', 'supporter', 'facilitator') }),
          fc.array(
            fc.oneof(
              fc.record({ pupilId: shortId, role: fc.constantFrom('harmed', 'responsible', 'supporter') }),
              fc.record({ staffId: shortId, role: fc.constantFrom('facilitator', 'supporter') }),
            ),
            { maxLength: 6 },
          ),
        )
        .map(([first, rest]) => [first, ...rest]),
      incidentId: id,
      agreementReached: bool,
      followUpDate: isoDate,
      summaryForParents: text(10_000),
      notes: text(10_000),
    },
    { requiredKeys: ['sessionId', 'date', 'format', 'participants'] },
  ),
  'incident.recorded': fc.record(
    {
      incidentId: id,
      category: text(100, 1),
      severity: fc.integer({ min: 1, max: 5 }),
      location: text(200),
      physicalIntervention: fc.record(
        { used: bool, technique: text(200), durationMinutes: fc.integer({ min: 0, max: 1440 }), injury: bool },
        { requiredKeys: ['used', 'injury'] },
      ),
      detention: fc.record({ date: isoDate, minutes: fc.integer({ min: 1, max: 600 }) }),
      safeguardingConcern: bool,
      notes: text(10_000),
    },
    { requiredKeys: ['incidentId', 'category', 'severity'] },
  ),
} as const;

export type EventType = keyof typeof dataByType;
export const eventTypes = Object.keys(dataByType) as EventType[];

export type RawEvent = Record<string, unknown>;

/** Ids are given at build time: unique within a run (and, over HTTP, within the table). */
let eventCounter = 0;
const nextEventId = () => `fz${Date.now().toString(36)}-${++eventCounter}`;

/** A valid event of `type` (or any type), without its eventId yet. */
export const validEvent = (type?: EventType): fc.Arbitrary<RawEvent> =>
  (type ? fc.constant(type) : fc.constantFrom(...eventTypes)).chain((eventType) =>
    fc
      .record({ occurredAt, pupilId: shortId, data: dataByType[eventType] as fc.Arbitrary<Record<string, unknown>>, withPupil: bool })
      .map(({ occurredAt: at, pupilId, data, withPupil }) => ({
        type: eventType,
        occurredAt: at,
        // Restorative sessions name pupils as participants; a top-level pupilId is optional there.
        ...(eventType !== 'restorative.session.recorded' || withPupil ? { pupilId } : {}),
        data,
      })),
  );

/**
 * Every event is filed under a date and ISO week: the data's date, or for roster updates and
 * incidents the date of `occurredAt` in the school's timezone. YYYY-MM-DD and RFC 3339 allow
 * year 0000 (and an offset can reach 10000), which have no YYYY-MM-DD / YYYY-Www: the
 * webhook rejects those at the field the date comes from.
 */
const dateField: Record<EventType, string> = {
  'attendance.marked': 'date',
  'intervention.session.recorded': 'date',
  'restorative.session.recorded': 'date',
  'intervention.started': 'startDate',
  'intervention.ended': 'endDate',
  'pupil.upserted': '',
  'incident.recorded': '',
};

function unfileableAt(event: RawEvent): string | undefined {
  const field = dateField[event.type as EventType];
  const date = field ? ((event.data as Record<string, string>)[field] as string) : dateInZone(new Date(event.occurredAt as string), fuzzSchool.timezone);
  const fileable = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{4}-W\d{2}$/.test(isoWeekOf(date));
  return fileable ? undefined : field ? `data.${field}` : 'occurredAt';
}

/** A valid event, unless its date cannot be filed. */
const asValid = (event: RawEvent, extra: Partial<Shaped> = {}): Shaped => {
  const path = unfileableAt(event);
  return path ? { event, verdict: 'invalid', path, ...extra } : { event, verdict: 'valid', ...extra };
};

// ---------------------------------------------------------------------------------------------
// Mutations: what an event becomes, and whether it is then certainly valid, certainly invalid,
// or unknown (only the invariants are checked).

export type Verdict = 'valid' | 'invalid' | 'unknown';
interface Shaped {
  event: unknown;
  verdict: Verdict;
  /** For a rejection the case is sure about: the error path expected among the errors. */
  path?: string;
  /** Raw JSON text to splice in for this event (deep nesting), replacing its placeholder. */
  splice?: { placeholder: string; json: string };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
/** An own, enumerable `__proto__` (or any) key, as JSON.parse would make it. */
const defineOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
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

/** Limits of each type that can be broken for sure: [path inside data, a value over the limit]. */
const overLimits: Record<EventType, [string, unknown][]> = {
  'pupil.upserted': [
    ['firstName', 'x'.repeat(101)],
    ['firstName', ''],
    ['yearGroup', '14'],
    ['dateOfBirth', '2026-02-30'],
    ['contacts', Array(21).fill({ contactId: 'c', name: 'n', relationship: 'r', parentalResponsibility: true, notify: false })],
  ],
  'attendance.marked': [
    ['code', 'ZZ'],
    ['code', 'n'],
    ['session', 'am'],
    ['minutesLate', -1],
    ['minutesLate', 1.5],
    ['minutesLate', 2 ** 53 + 2],
    ['date', '2026-13-01'],
  ],
  'intervention.started': [
    ['kind', 'therapy'],
    ['plannedSessions', 1001],
    ['title', ''],
    ['targets', Array(51).fill({ targetId: 't', area: 'social', description: '', baseline: 1, goal: 2 })],
  ],
  'intervention.session.recorded': [
    ['durationMinutes', 1441],
    ['durationMinutes', -1],
    ['engagement', 0],
    ['engagement', 6],
    ['notes', 'n'.repeat(10_001)],
  ],
  'intervention.ended': [
    ['outcome', 'done'],
    ['endDate', '2026-02-29'],
    ['notes', 'n'.repeat(10_001)],
  ],
  'restorative.session.recorded': [
    ['participants', []],
    ['participants', [{ staffId: 'S1', role: 'facilitator' }]],
    ['format', 'chat'],
    ['participants', Array(51).fill({ pupilId: 'p', role: 'harmed' })],
  ],
  'incident.recorded': [
    ['severity', 0],
    ['severity', 6],
    ['severity', 2.5],
    ['category', ''],
    ['detention', { date: '2026-11-23', minutes: 0 }],
    ['physicalIntervention', { used: true }],
  ],
};

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

function mutate(base: RawEvent): fc.Arbitrary<Shaped> {
  const type = base.type as EventType;
  const data = base.data as Record<string, unknown>;
  const dataLeaves = leavesIn(data);
  const options: fc.Arbitrary<Shaped>[] = [
    // A required envelope field missing.
    fc.constantFrom(...requiredEnvelope(base)).map((field) => {
      const event = clone(base);
      delete event[field];
      return { event, verdict: 'invalid' as Verdict, path: field };
    }),
    fc.constantFrom(...badTypes).map((value) => ({ event: { ...clone(base), type: value }, verdict: 'invalid' as Verdict, path: 'type' })),
    fc.constantFrom(...badEventIds).map((value) => ({ event: { ...clone(base), eventId: value }, verdict: 'invalid' as Verdict, path: 'eventId' })),
    fc.constantFrom(...badOccurredAts).map((value) => ({ event: { ...clone(base), occurredAt: value }, verdict: 'invalid' as Verdict, path: 'occurredAt' })),
    fc.constantFrom(1, 'x', null, [], true).map((value) => ({ event: { ...clone(base), data: value }, verdict: 'invalid' as Verdict, path: 'data' })),
    // A limit of the type broken for sure.
    fc.constantFrom(...overLimits[type]).map(([field, value]) => {
      const event = clone(base);
      (event.data as Record<string, unknown>)[field] = clone(value);
      return { event, verdict: 'invalid' as Verdict, path: `data.${field}` };
    }),
    // Unknown keys anywhere, including the ones that poison prototypes: ignored, the event stays valid.
    fc
      .tuple(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'vendorExtra', 'eventIds', 'pk', 'schoolId'),
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat(),
      )
      .map(([key, value, pick]) => {
        const event = clone(base);
        const objects = objectsIn(event);
        // Not a restorative participant: an extra key cannot change which branch it matches, but keep it simple.
        const targets = objects.filter(({ at }) => !at.includes('participants'));
        const target = targets[pick % targets.length]!;
        if (target.at.length === 0 && ['pk', 'schoolId', 'eventIds'].includes(key)) defineOwn(target.object, `x-${key}`, value);
        else defineOwn(target.object, key, key === '__proto__' ? { polluted: 'yes', ...(typeof value === 'object' && value ? value : {}) } : value);
        return asValid(event);
      }),
    // A deeply nested unknown value (10,000 levels): ignored.
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
        event: { ...clone(base), data: placeholder },
        verdict: 'invalid' as Verdict,
        path: 'data',
        splice: { placeholder: JSON.stringify(placeholder), json: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}` },
      };
    }),
  ];
  if (dataLeaves.length > 0) {
    // A leaf of another JSON type: every field of the catalogue has exactly one JSON type.
    options.push(
      fc.nat().chain((pick) => {
        const leaf = dataLeaves[pick % dataLeaves.length]!;
        return otherJsonType(leaf.value).map((value) => {
          const event = clone(base);
          setAt(event.data as Record<string, unknown>, leaf.at, value);
          // Inside a restorative participant a wrong type can make it the other branch of the union: unknown.
          return { event, verdict: (leaf.at[0] === 'participants' ? 'unknown' : 'invalid') as Verdict };
        });
      }),
    );
  }
  if (type === 'intervention.started' || type === 'intervention.session.recorded') {
    // Valid for the catalogue, but DynamoDB cannot store a number this close to 0.
    options.push(
      fc.constant(1).map(() => {
        const event = clone(base);
        const eventData = event.data as Record<string, any>;
        if (type === 'intervention.started') eventData.targets = [{ targetId: 'T1', area: 'social', description: 'd', baseline: 1e-200, goal: 5 }];
        else eventData.targetScores = [{ targetId: 'T1', score: 1e-200 }];
        return { event, verdict: 'invalid' as Verdict, path: type === 'intervention.started' ? 'data.targets.0.baseline' : 'data.targetScores.0.score' };
      }),
    );
  }
  if (type === 'intervention.started') {
    // Valid for the catalogue (50 targets of 10,000 characters) but over DynamoDB's 400 KB item.
    options.push(
      fc.constant(1).map(() => {
        const event = clone(base);
        (event.data as Record<string, unknown>).targets = Array.from({ length: 45 }, (_, n) => ({
          targetId: `T${n}`,
          area: 'learning',
          description: 'd'.repeat(10_000),
          baseline: 1,
          goal: 2,
        }));
        return { event, verdict: 'invalid' as Verdict, path: 'data' };
      }),
    );
  }
  return fc.oneof(...options);
}

/** Not an object at all. */
const notAnEvent = fc.constantFrom<unknown>(null, 1, 'event', [], [1], true).map((event): Shaped => ({ event, verdict: 'invalid', path: '(event)' }));

const eventItem: fc.Arbitrary<Shaped> = fc.oneof(
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

// ---------------------------------------------------------------------------------------------
// Bodies

export type BodyKind = 'events' | 'badJson' | 'badShape';
export interface Body {
  kind: BodyKind;
  bytes: Buffer;
  /** For `events`: each item as sent, with what is certain about it. */
  items?: (Shaped & { eventId: unknown })[];
  /** Event bodies whose bytes were tampered with (invalid UTF-8 in a string): only invariants. */
  tampered?: boolean;
  note: string;
}

function withIds(items: Shaped[], duplicateOf?: number): (Shaped & { eventId: unknown })[] {
  const built = items.map((item) => {
    if (item.event === null || typeof item.event !== 'object' || Array.isArray(item.event)) return { ...item, eventId: undefined };
    const event = item.event as RawEvent;
    // A mutation that removed or replaced the eventId keeps that; every other event gets a fresh one.
    if (item.path !== 'eventId') event.eventId = nextEventId();
    return { ...item, eventId: event.eventId };
  });
  if (duplicateOf !== undefined && built[duplicateOf]?.verdict === 'valid') built.push({ ...built[duplicateOf]! });
  return built;
}

function serialise(envelope: Record<string, unknown>, items: Shaped[]): Buffer {
  let json = JSON.stringify(envelope);
  for (const item of items) if (item.splice) json = json.replace(item.splice.placeholder, item.splice.json);
  return Buffer.from(json, 'utf8');
}

/** Invalid UTF-8 sequences: a lone continuation byte, an overlong '/', a truncated 3-byte char, 0xFF. */
const badUtf8 = [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff, 0xfe])];

const eventsBody: fc.Arbitrary<Body> = fc
  .record({
    items: fc.oneof(
      { weight: 20, arbitrary: fc.array(eventItem, { minLength: 1, maxLength: 8 }) },
      {
        weight: 1,
        arbitrary: fc.array(
          validEvent('attendance.marked').map((event) => asValid(event)),
          { minLength: 100, maxLength: 500 },
        ),
      },
    ),
    duplicate: fc.option(fc.nat({ max: 7 }), { nil: undefined, freq: 5 }),
    extraTopLevel: fc.option(fc.constantFrom('__proto__', 'constructor', 'meta'), { nil: undefined, freq: 4 }),
  })
  .map(({ items, duplicate, extraTopLevel }) => {
    const built = withIds(items, duplicate);
    const envelope: Record<string, unknown> = { events: built.map((item) => item.event) };
    if (extraTopLevel) defineOwn(envelope, extraTopLevel, { polluted: 'yes' });
    return { kind: 'events' as const, bytes: serialise(envelope, built), items: built, note: `${built.length} events` };
  });

/** The same, with invalid UTF-8 inside a string value: still JSON (decoded to U+FFFD), content unknown. */
const tamperedBody: fc.Arbitrary<Body> = fc.tuple(eventsBody, fc.constantFrom(...badUtf8), fc.nat()).map(([body, bad, pick]) => {
  const text = body.bytes.toString('latin1');
  const quotes = [...text.matchAll(/":"/g)].map((match) => match.index! + 3);
  if (quotes.length === 0) return body;
  const at = quotes[pick % quotes.length]!;
  const bytes = Buffer.concat([body.bytes.subarray(0, at), bad, body.bytes.subarray(at)]);
  return {
    ...body,
    bytes,
    tampered: true,
    items: body.items?.map((item) => ({ ...item, verdict: 'unknown' as Verdict, path: undefined })),
    note: `${body.note}, invalid UTF-8 inside a string`,
  };
});

const validJson = JSON.stringify({ events: [{ eventId: 'x', type: 'attendance.marked' }] });
const badJsonBody: fc.Arbitrary<Body> = fc
  .constantFrom<[string, Buffer]>(
    ['empty', Buffer.alloc(0)],
    ['whitespace', Buffer.from('  \n\t ')],
    ['truncated', Buffer.from(validJson.slice(0, -3))],
    ['trailing comma', Buffer.from('{"events":[{"a":1},]}')],
    ['single quotes', Buffer.from("{'events':[]}")],
    ['NaN literal', Buffer.from('{"events":[NaN]}')],
    ['comment', Buffer.from('{"events":[] /* x */}')],
    ['garbage after', Buffer.from(`${validJson}x`)],
    ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(validJson)])],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validJson, 'utf16le')])],
    ['UTF-16LE', Buffer.from(validJson, 'utf16le')],
    ['UTF-16BE', Buffer.from(validJson, 'utf16le').swap16()],
    ['invalid UTF-8 outside strings', Buffer.concat([Buffer.from('{"events":'), Buffer.from([0xff]), Buffer.from('[]}')])],
    ['NUL outside strings', Buffer.from('{"events":\u0000[]}')],
    ['deep arrays, unclosed', Buffer.from('['.repeat(10_000))],
  )
  .map(([note, bytes]) => ({ kind: 'badJson' as const, bytes, note }));

const badShapeBody: fc.Arbitrary<Body> = fc
  .constantFrom<[string, string]>(
    ['array', '[]'],
    ['null', 'null'],
    ['number', '1'],
    ['string', '"events"'],
    ['no events', '{}'],
    ['Events', '{"Events":[{"eventId":"a"}]}'],
    ['events object', '{"events":{"0":{}}}'],
    ['events null', '{"events":null}'],
    ['events string', '{"events":"[]"}'],
    ['no events in list', '{"events":[]}'],
    ['501 events', JSON.stringify({ events: Array(501).fill({}) })],
    ['deep arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['__proto__ events', '{"__proto__":{"events":[{}]}}'],
  )
  .map(([note, json]) => ({ kind: 'badShape' as const, bytes: Buffer.from(json), note }));

/** `{"events": [[[[…]]]]}` 10,000 deep: one item, not an object, rejected. */
const deepEventsBody = fc.constantFrom(10_000, 50_000).map(
  (depth): Body => ({
    kind: 'events',
    bytes: Buffer.from(`{"events":[${'['.repeat(depth)}${']'.repeat(depth)}]}`),
    items: [{ event: [], verdict: 'invalid', path: '(event)', eventId: undefined }],
    note: `an event ${depth} arrays deep`,
  }),
);

const tooLargeBody = fc.constantFrom(maxBodyBytes + 1, maxBodyBytes + 100_000).map((size): Body => {
  const head = '{"events":[],"padding":"';
  return { kind: 'events', bytes: Buffer.from(`${head}${'x'.repeat(size - head.length - 2)}"}`), note: `${size} bytes` };
});

export const bodyArbitrary: fc.Arbitrary<Body> = fc.oneof(
  { weight: 30, arbitrary: eventsBody },
  { weight: 3, arbitrary: tamperedBody },
  { weight: 2, arbitrary: badJsonBody },
  { weight: 2, arbitrary: badShapeBody },
  { weight: 1, arbitrary: deepEventsBody },
  { weight: 1, arbitrary: tooLargeBody },
);

// ---------------------------------------------------------------------------------------------
// Headers and the school

export interface Secrets {
  current: string;
  /** Still honoured: rotated less than 24 h ago. */
  previous: string;
  /** Rotated out before that: refused. */
  retired: string;
}

const contentTypes = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON', ' application/json ;charset=UTF-8')
      .map((value) => ({ value, ok: true, note: value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        undefined,
        '',
        'text/plain',
        'application/jsonp',
        'application/json-seq',
        'application/x-www-form-urlencoded',
        'application/json, text/plain',
        'multipart/form-data',
      )
      .map((value) => ({ value, ok: false, note: `content-type ${value}` })),
  },
);

/** Seconds relative to now, or a malformed header. */
const timestamps = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(0, -1, -290, 290).map((skew) => ({ skew, raw: undefined as string | undefined, ok: true, note: `skew ${skew}` })) },
  { weight: 1, arbitrary: fc.constantFrom(-301, 301, -86_400, 10_000_000).map((skew) => ({ skew, raw: undefined, ok: false, note: `skew ${skew}` })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', 'abc', '1e9', '-1', ' 17', '0x10', '１２３', '9999999999999', '1.5')
      .map((raw) => ({ skew: 0, raw, ok: false, note: `timestamp ${raw}` })),
  },
);

type SignatureKind =
  | 'current'
  | 'previous'
  | 'retired'
  | 'other school'
  | 'uppercase'
  | 'no prefix'
  | 'v2'
  | 'trailing space'
  | 'short'
  | 'two signatures'
  | 'other body'
  | 'missing'
  | 'empty'
  | 'non-ascii';
const signatures = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom<SignatureKind>('current', 'current', 'current', 'previous') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<SignatureKind>(
      'retired',
      'other school',
      'uppercase',
      'no prefix',
      'v2',
      'trailing space',
      'short',
      'two signatures',
      'other body',
      'missing',
      'empty',
      'non-ascii',
    ),
  },
);

const schoolIds = fc.oneof(
  { weight: 15, arbitrary: fc.constant({ value: fuzzSchool.schoolId, ok: true }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('other', '', 'FUZZ', 'fuzz ', 'a'.repeat(65), 'x'.repeat(5_000), 'fuzz#EVENT', '../fuzz', '%', 'fuzz\u0000', '__proto__')
      .map((value) => ({ value, ok: false })),
  },
);

export interface FuzzCase {
  signatureKind: string;
  request: Omit<WebhookRequest, 'timestamp' | 'signature'> & { timestamp: string | undefined; signature: string | undefined };
  body: Body;
  /** Statuses the case is certain about; undefined: 200, 207 or 422 as the results say. */
  expectStatus?: number[];
  describe: string;
}

/** Cases against `now`, signed with `secrets` (`other` is another school's secret). */
export function caseArbitrary(now: () => Date, secrets: Secrets, otherSchoolSecret: string): fc.Arbitrary<FuzzCase> {
  return fc
    .record({ body: bodyArbitrary, contentType: contentTypes, timestamp: timestamps, signature: signatures, school: schoolIds })
    .map(({ body, contentType, timestamp, signature, school }) => {
      const ts = timestamp.raw ?? String(Math.floor(now().getTime() / 1000) + timestamp.skew);
      const with_ = (secret: string, bytes: Buffer = body.bytes) => sign(secret, ts, bytes);
      const good = with_(secrets.current);
      const signed: Record<SignatureKind, string | undefined> = {
        current: good,
        previous: with_(secrets.previous),
        retired: with_(secrets.retired),
        'other school': with_(otherSchoolSecret),
        uppercase: `v1=${good.slice(3).toUpperCase()}`,
        'no prefix': good.slice(3),
        v2: `v2=${good.slice(3)}`,
        'trailing space': `${good} `,
        short: good.slice(0, -1),
        'two signatures': `${good},${good}`,
        'other body': with_(secrets.current, Buffer.concat([body.bytes, Buffer.from(' ')])),
        missing: undefined,
        empty: '',
        'non-ascii': `v1=${'é'.repeat(64)}`,
      };
      const signatureOk = signature === 'current' || signature === 'previous';
      // The order the contract's checks can be made in: media type, size, then who is asking, then the body.
      let expectStatus: number[] | undefined;
      const tooLarge = body.bytes.length > maxBodyBytes;
      if (!contentType.ok && tooLarge) expectStatus = [413, 415];
      else if (!contentType.ok) expectStatus = [415];
      else if (tooLarge) expectStatus = [413];
      else if (!school.ok || !timestamp.ok || !signatureOk) expectStatus = [401];
      else if (body.kind !== 'events') expectStatus = [400];
      // Over HTTP an empty school id is no route at all (`/v1/schools//events`).
      if (school.value === '') expectStatus = [...expectStatus!, 404];
      const describe = `${body.note}; ${contentType.note}; ${timestamp.note}; signature ${signature}; school ${JSON.stringify(school.value).slice(0, 40)}`;
      return {
        signatureKind: signature,
        request: {
          schoolId: school.value,
          contentType: contentType.value,
          timestamp: timestamp.raw === '' ? '' : ts,
          signature: signed[signature],
          body: body.bytes,
        },
        body,
        expectStatus,
        describe,
        // fast-check prints this for a counterexample, rather than the whole body's bytes.
        [fc.toStringMethod]: () => `${describe}\n  body: ${body.bytes.subarray(0, 400).toString('utf8')}${body.bytes.length > 400 ? '…' : ''}`,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Checking an answer

export interface Answer {
  status: number;
  body: any;
}

export interface CaseTally {
  cases: number;
  byStatus: Record<number, number>;
  events: number;
  accepted: number;
  duplicate: number;
  rejected: number;
}

export const newTally = (): CaseTally => ({ cases: 0, byStatus: {}, events: 0, accepted: 0, duplicate: 0, rejected: 0 });

/**
 * Everything a case can say about its answer. `stored` is the set of eventIds the store
 * recorded for this case (in-memory), or undefined (checked for the whole run instead).
 */
export function checkAnswer(fuzzCase: FuzzCase, answer: Answer, tally: CaseTally, stored?: Set<string>): void {
  const fail = (message: string): never => {
    throw new Error(`${message}\n  case: ${fuzzCase.describe}\n  answer: ${JSON.stringify(answer).slice(0, 600)}`);
  };
  tally.cases++;
  tally.byStatus[answer.status] = (tally.byStatus[answer.status] ?? 0) + 1;
  if (answer.status >= 500) fail(`a ${answer.status} for bad input`);
  if (!answer.body || typeof answer.body !== 'object') fail('the answer has no JSON body');
  if (fuzzCase.expectStatus && !fuzzCase.expectStatus.includes(answer.status)) fail(`expected ${fuzzCase.expectStatus.join(' or ')}`);
  if (![200, 207, 400, 401, 413, 415, 422, ...(fuzzCase.expectStatus ?? [])].includes(answer.status)) fail('a status the contract does not have');
  if (answer.status !== 200 && answer.status !== 207 && answer.status !== 422) {
    if (typeof answer.body.error !== 'string' || answer.body.error === '') fail('an error answer without an error message');
    if ('results' in answer.body) fail('an error answer with results');
    return;
  }
  const items = fuzzCase.body.items;
  if (!items) fail('results for a body that has no events');
  const results = answer.body.results as { eventId: string; status: string; errors?: { path: string; message: string }[] }[];
  if (!Array.isArray(results) || results.length !== items!.length) fail(`${results?.length} results for ${items!.length} events`);
  const rejected = results.filter((result) => result.status === 'rejected').length;
  const expected = rejected === 0 ? 200 : rejected === results.length ? 422 : 207;
  if (answer.status !== expected) fail(`status ${answer.status} but ${rejected} of ${results.length} rejected`);
  const accepted = new Set<string>();
  results.forEach((result, index) => {
    const item = items![index]!;
    tally.events++;
    if (result.status === 'accepted' || result.status === 'duplicate') {
      tally[result.status]++;
      if (!fuzzCase.body.tampered && result.eventId !== item.eventId) fail(`result ${index} is for ${result.eventId}, the event is ${String(item.eventId)}`);
      if (result.errors) fail(`result ${index} is ${result.status} with errors`);
      if (item.verdict === 'invalid') fail(`event ${index} (broken at ${item.path}) was ${result.status}`);
      if (result.status === 'accepted') accepted.add(result.eventId);
    } else if (result.status === 'rejected') {
      tally.rejected++;
      if (item.verdict === 'valid') fail(`valid event ${index} rejected: ${JSON.stringify(result.errors)}`);
      if (!Array.isArray(result.errors) || result.errors.length === 0) fail(`rejected event ${index} without errors`);
      for (const error of result.errors!) {
        if (typeof error.path !== 'string' || error.path === '') fail(`rejected event ${index} with an empty path`);
        if (typeof error.message !== 'string' || error.message === '') fail(`rejected event ${index} with an empty message`);
      }
      if (item.path && !result.errors!.some((error) => error.path === item.path || error.path.startsWith(`${item.path}.`))) {
        fail(`event ${index} broken at ${item.path}, errors at ${result.errors!.map((error) => error.path).join(', ')}`);
      }
      const expectedId = typeof item.eventId === 'string' ? item.eventId.slice(0, 128) : '';
      if (!fuzzCase.body.tampered && result.eventId !== expectedId)
        fail(`rejected result ${index} names ${JSON.stringify(result.eventId)}, expected ${JSON.stringify(expectedId)}`);
    } else fail(`result ${index} has status ${result.status}`);
  });
  // In-batch copies of one valid event: exactly one accepted. (Not when the bytes were tampered
  // with: the copies may then differ, and a mark is idempotent per pupil, date and session.)
  if (fuzzCase.body.tampered) return checkStored(fuzzCase, accepted, stored, fail);
  const copies = new Map<unknown, string[]>();
  results.forEach((result, index) => copies.set(items![index]!.eventId, [...(copies.get(items![index]!.eventId) ?? []), result.status]));
  for (const [eventId, statuses] of copies) {
    if (statuses.length > 1 && statuses.every((status) => status !== 'rejected') && statuses.filter((status) => status === 'accepted').length !== 1) {
      fail(`copies of ${String(eventId)} answered ${statuses.join(', ')}`);
    }
  }
  checkStored(fuzzCase, accepted, stored, fail);
}

function checkStored(_fuzzCase: FuzzCase, accepted: Set<string>, stored: Set<string> | undefined, fail: (message: string) => never) {
  if (!stored) return;
  for (const eventId of accepted) if (!stored.has(eventId)) fail(`${eventId} answered accepted but not stored`);
  for (const eventId of stored) if (!accepted.has(eventId)) fail(`${eventId} stored but not answered accepted`);
}

// ---------------------------------------------------------------------------------------------
// In-memory ports, shaped like DynamoDB (the limits a real table would enforce)

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
    if (['__proto__', 'constructor', 'prototype', 'vendorExtra', 'deep'].includes(key)) throw new Error(`unknown field ${key} stored`);
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

// ---------------------------------------------------------------------------------------------
// Over HTTP, against the local stack and DynamoDB Local

export interface HttpTarget {
  url: string;
  table: TableRef;
  now: () => Date;
  secrets: Secrets;
  otherSchoolSecret: string;
}

/** Sends a case as an MIS would; `undefined` when HTTP cannot carry it (a header fetch refuses). */
async function sendCase(url: string, fuzzCase: FuzzCase): Promise<Answer | undefined> {
  // HTTP drops a header value's surrounding whitespace (RFC 9110 OWS): that case means nothing here.
  if (fuzzCase.signatureKind === 'trailing space') return undefined;
  const headers: Record<string, string> = {};
  if (fuzzCase.request.contentType !== undefined) headers['content-type'] = fuzzCase.request.contentType;
  if (fuzzCase.request.timestamp !== undefined) headers['x-tracker-timestamp'] = fuzzCase.request.timestamp;
  if (fuzzCase.request.signature !== undefined) headers['x-tracker-signature'] = fuzzCase.request.signature;
  let response: Response;
  try {
    response = await fetch(`${url}/v1/schools/${encodeURIComponent(fuzzCase.request.schoolId)}/events`, {
      method: 'POST',
      headers,
      body: fuzzCase.request.body,
    });
  } catch (error) {
    // A header value fetch will not send (not a ByteString, a NUL): nothing reached the server.
    if (error instanceof TypeError && !(error as { cause?: unknown }).cause) return undefined;
    throw error;
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body };
}

/** Every eventId the table holds for the fuzz school, wherever it is kept (test oracle: a Scan). */
export async function storedEventIds(table: TableRef, schoolId = fuzzSchool.schoolId): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      if (item.schoolId !== schoolId || !String(item.pk).startsWith(`SCHOOL#${schoolId}#`)) continue;
      if (item.recordKind === 'event' || item.recordKind === 'participant') ids.add(item.eventId);
      if (item.eventIds instanceof Set) for (const eventId of item.eventIds) ids.add(eventId);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/**
 * Runs `runs` cases over HTTP; afterwards the table must hold exactly the events answered
 * `accepted` (none of the rejected ones, nothing else).
 */
export async function fuzzOverHttp(target: HttpTarget, runs: number, seed?: number) {
  const tally = newTally();
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  const sent = new Map<string, { event: unknown; tampered: boolean }>();
  let unsendable = 0;
  await fc.assert(
    fc.asyncProperty(caseArbitrary(target.now, target.secrets, target.otherSchoolSecret), async (fuzzCase) => {
      const answer = await sendCase(target.url, fuzzCase);
      if (!answer) {
        unsendable++;
        return;
      }
      checkAnswer(fuzzCase, answer, tally);
      for (const item of fuzzCase.body.items ?? [])
        if (typeof item.eventId === 'string') sent.set(item.eventId, { event: item.event, tampered: fuzzCase.body.tampered === true });
      for (const result of (answer.body as { results?: { eventId: string; status: string }[] }).results ?? []) {
        if (result.status === 'accepted') accepted.add(result.eventId);
        if (result.status === 'rejected' && result.eventId) rejected.add(result.eventId);
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const stored = await storedEventIds(target.table);
  const rejectedAndStored = [...rejected].filter((eventId) => stored.has(eventId) && !accepted.has(eventId));
  const storedNotAccepted = [...stored].filter((eventId) => !accepted.has(eventId));
  // Each accepted event where it must be, by GetItem (exact, whatever a Scan's paging does).
  const acceptedNotStored: string[] = [];
  let missedByScan = 0;
  let expiredOnArrival = 0;
  for (const eventId of accepted) {
    const { event: sentEvent, tampered } = sent.get(eventId)!;
    const event = sentEvent as RawEvent;
    // Past its retention when it arrived (a roster update from 2021 keeps its receipt 3 years):
    // accepted, then deleted by TTL, which DynamoDB Local runs too. Nothing to find.
    const parsed = trackerEvent.safeParse(event);
    if (parsed.success) {
      const plan = planWrite(parsed.data, fuzzSchool, target.now());
      const item = plan.kind === 'mark' ? plan.mark.attributes : plan.journal;
      if ((item.expiresAt as number) * 1000 < Date.now()) {
        expiredOnArrival++;
        continue;
      }
    }
    // Invalid UTF-8 was spliced into this body: what was stored is not what `event` says (a
    // mark's pupil may differ), so only the Scan can say where it is.
    if (tampered || !parsed.success) {
      if (!stored.has(eventId)) acceptedNotStored.push(`${eventId} (tampered body)`);
      continue;
    }
    const data = event.data as Record<string, string>;
    const key =
      event.type === 'attendance.marked'
        ? attendanceMarkKey(fuzzSchool.schoolId, isoWeekOf(data.date!), event.pupilId as string, data.date!, data.session!)
        : journalKey(fuzzSchool.schoolId, eventId);
    const { Item } = await target.table.client.send(new GetCommand({ TableName: target.table.tableName, Key: key, ConsistentRead: true }));
    const found = event.type === 'attendance.marked' ? (Item?.eventIds as Set<string> | undefined)?.has(eventId) === true : Item?.eventId === eventId;
    if (!found) acceptedNotStored.push(`${eventId}: ${JSON.stringify(event).slice(0, 2_000)}`);
    else if (!stored.has(eventId)) missedByScan++;
  }
  return {
    tally,
    unsendable,
    accepted: accepted.size,
    rejected: rejected.size,
    stored: stored.size,
    expiredOnArrival,
    missedByScan,
    rejectedAndStored,
    acceptedNotStored,
    storedNotAccepted,
  };
}

/** School ids as URL path segments: malformed escapes, traversal, encodings, length. Never a 5xx. */
export const pathSegments = fc.oneof(
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%ZZ',
    '%00',
    '%2F',
    '..%2Ffuzz',
    '%2e%2e',
    'fuzz%23EVENT',
    'fuzz%20',
    '%F0%9F%98%80',
    'x'.repeat(3_000),
    '%C0%AF',
    'fuzz;x',
    'fuzz?x=1',
    'FUZZ',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map((value) => encodeURIComponent(value)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 }).filter((value) => !/[/?#]/.test(value)),
);
