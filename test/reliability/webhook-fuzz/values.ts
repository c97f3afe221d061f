import fc from 'fast-check';

/** The fuzzer's building blocks: free text, ids, scores, dates and instants of every shape the contract allows. */

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
export const text = (max: number, min = 0) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(40, Math.floor(max / 2)) }) },
    { weight: 3, arbitrary: fc.constantFrom(...nasty.filter((value) => value.length >= min && value.length <= max)) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: Math.max(min, max - 5), maxLength: max }) },
  );
/** Text that must say something: whitespace alone counts as empty (the statutory record's fields). */
export const nonBlankText = (max: number) => text(max, 1).filter((value) => value.trim().length > 0);
export const id = text(128, 1);
export const shortId = text(64, 1);
export const bool = fc.boolean();
/** Scores 0..10: integers and fractions, all storable (the tiny ones are a separate mutation). */
export const score = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0.001, max: 10, noNaN: true }), fc.constant(0));
export const isoDate = fc
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
/** An RFC 3339 instant with an offset, any fraction, sometimes at the ends of the years 0000..9999. */
export const instant = fc
  .tuple(
    fc.oneof(
      { weight: 10, arbitrary: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }) },
      { weight: 1, arbitrary: fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }) },
    ),
    fc.option(fc.integer({ min: 0, max: 999_999_999 }), { nil: undefined }),
    offset,
  )
  .map(([date, fraction, zone]) => `${date.toISOString().slice(0, 19)}${fraction === undefined ? '' : `.${fraction}`}${zone}`);
export const email = fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,6})?@[a-z0-9]{1,10}\.(org|uk|com|sch\.uk)$/);
export const targetScores = (max: number) => fc.array(fc.record({ targetId: id, score }), { maxLength: max });
/** Usually the everyday arbitrary, now and then the big one. */
export const some = <T>(arbitrary: fc.Arbitrary<T[]>, big: fc.Arbitrary<T[]>) => fc.oneof({ weight: 10, arbitrary }, { weight: 1, arbitrary: big });

/**
 * What the fuzzer knows of one event type: valid `data`, the fields it must have (deleting one
 * is rejected at `data.<field>`), and values that break a limit for sure: [field, value].
 */
export interface TypeSpec {
  data: fc.Arbitrary<Record<string, unknown>>;
  required: readonly string[];
  overLimits: readonly [string, unknown][];
}

export const typeSpec = <F extends Record<string, fc.Arbitrary<unknown>>>(
  fields: F,
  required: readonly (keyof F & string)[],
  overLimits: readonly [string, unknown][],
): TypeSpec => ({ data: fc.record(fields, { requiredKeys: [...required] }) as fc.Arbitrary<Record<string, unknown>>, required, overLimits });
