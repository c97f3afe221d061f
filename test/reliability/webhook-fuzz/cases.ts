import fc from 'fast-check';
import { sign } from '../../../shared/domain/signature';
import { maxBodyBytes, type WebhookRequest } from '../../../shared/services/receive-webhook';
import { bodyArbitrary, type Body } from './bodies';
import { fuzzSchool } from './events';

/** A whole request: a body with its content type, timestamp, signature and school, and the statuses it is certain of. */

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
