import { describe, expect, it } from 'vitest';
import { assertValidEventPattern, matchesEventPattern, type EventPattern } from '../../shared/adapters/local/event-pattern';

// The local bus validates each rule's pattern when it is given it, so a pattern EventBridge would refuse
// fails loudly here instead of silently matching nothing.
describe('assertValidEventPattern', () => {
  const rejects = (pattern: unknown, message: RegExp) => expect(() => assertValidEventPattern(pattern as EventPattern)).toThrow(message);

  it('accepts every documented operator', () => {
    expect(() =>
      assertValidEventPattern({
        source: ['aws.ec2', 1, true, null],
        detail: {
          a: [{ prefix: 'x' }, { prefix: { 'equals-ignore-case': 'x' } }, { suffix: { 'equals-ignore-case': 'x' } }],
          b: [{ 'anything-but': ['a', 'b'] }, { 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }],
          c: [{ numeric: ['>=', 0, '<', 1] }, { exists: false }, { cidr: '10.0.0.0/24' }],
          d: [{ wildcard: 'a\\\\b*' }, { 'equals-ignore-case': 'x' }],
          $or: [{ e: ['1'] }, { f: ['2'] }],
        },
      }),
    ).not.toThrow();
  });

  it('rejects a leaf that is not an array', () => {
    rejects({ source: 'aws.ec2' }, /"source".*must be an array/);
  });

  it('rejects empty arrays and empty objects', () => {
    rejects({ source: [] }, /"source".*empty arrays/);
    rejects({ detail: {} }, /"detail".*empty objects/);
  });

  it('rejects an unknown operator', () => {
    rejects({ detail: { state: [{ contains: 'x' }] } }, /"detail.state".*unknown operator "contains"/);
  });

  it('rejects an operator object with several keys', () => {
    rejects({ state: [{ prefix: 'a', suffix: 'b' }] }, /exactly one key/);
  });

  it('rejects numeric operators without numbers or with unknown comparisons', () => {
    rejects({ n: [{ numeric: ['>', '5'] }] }, /numeric operator ">" needs a number/);
    rejects({ n: [{ numeric: ['!=', 5] }] }, /unknown numeric operator/);
    rejects({ n: [{ numeric: ['>', 1, '>', 2] }] }, /numeric range/);
    rejects({ n: [{ numeric: 5 }] }, /"numeric" needs/);
  });

  it('rejects malformed exists, prefix and cidr values', () => {
    rejects({ n: [{ exists: 'yes' }] }, /"exists" needs true or false/);
    rejects({ n: [{ prefix: 5 }] }, /"prefix" needs a string/);
    rejects({ n: [{ cidr: '10.0.0.0/33' }] }, /"cidr" needs an IPv4 CIDR/);
  });

  it('rejects malformed anything-but values', () => {
    rejects({ n: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/);
    rejects({ n: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported "anything-but"/);
  });

  it('rejects invalid wildcards', () => {
    rejects({ n: [{ wildcard: 'a**b' }] }, /consecutive "\*"/);
    rejects({ n: [{ wildcard: 'a\\b' }] }, /may only escape/);
  });

  it('rejects a malformed $or', () => {
    rejects({ $or: [{ a: ['1'] }] }, /\$or must be an array of at least two/);
    rejects({ $or: [{ a: ['1'] }, 'b'] }, /"\$or\[1\]".*expected an object/);
  });

  it('is applied by matchesEventPattern so a bad pattern never silently fails to match', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, { source: 'aws.ec2' })).toThrow(/must be an array/);
  });
});
