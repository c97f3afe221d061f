import fc from 'fast-check';
import { maxBodyBytes } from '../../../shared/services/receive-webhook';
import { type RawEvent, validEvent } from './events';
import { asValid, defineOwn, eventItem, type Shaped, type Verdict } from './mutations';

/** Request bodies: lists of events (valid, near-valid, broken), tampered bytes, bad JSON, bad shapes, deep and huge ones. */

/** Ids are given at build time: unique within a run (and, over HTTP, within the table). */
let eventCounter = 0;
const nextEventId = () => `fz${Date.now().toString(36)}-${++eventCounter}`;

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
