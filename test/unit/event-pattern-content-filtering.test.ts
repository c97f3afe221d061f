import { describe, expect, it } from 'vitest';
import { matchesEventPattern as match } from '../../shared/adapters/local/event-pattern';

// The content-filtering operators (prefix, suffix, equals-ignore-case, anything-but, numeric, cidr,
// exists, wildcard). Patterns and events are taken from the AWS EventBridge user guide (page named
// per group) and, where that page defers to it, the aws/event-ruler README.

// "Content filtering in Amazon EventBridge event patterns" – prefix / suffix sections, and the
// "Begins with" / "Ends with" rows of "Comparison operators for use in event patterns".
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
describe('prefix and suffix (Content filtering)', () => {
  it('prefix matches the start of a string', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(match(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(match(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
    expect(match({ Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' })).toBe(false);
  });

  it('prefix with equals-ignore-case ignores the case of the start', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(match(pattern, { detail: { service: 'eventbridge' } })).toBe(true);
    expect(match(pattern, { detail: { service: 'EVENTBRIDGE' } })).toBe(true);
    expect(match(pattern, { detail: { service: 'lambda' } })).toBe(false);
  });

  it('suffix matches the end of a string', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(match(pattern, { FileName: 'image.png' })).toBe(true);
    expect(match(pattern, { FileName: 'image.PNG' })).toBe(false);
    expect(match(pattern, { FileName: 'image.jpg' })).toBe(false);
  });

  it('suffix with equals-ignore-case ignores the case of the end', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(match(pattern, { detail: { FileName: 'image.PNG' } })).toBe(true);
    expect(match(pattern, { detail: { FileName: 'image.gif' } })).toBe(false);
    expect(match({ service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { service: 'EVENTBRIDGE' })).toBe(true);
  });

  it('prefix and suffix only apply to strings', () => {
    expect(match({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
    expect(match({ code: [{ suffix: '23' }] }, { code: 123 })).toBe(false);
  });
});

// "Comparison operators for use in event patterns" – "Equals (ignore case)" row;
// aws/event-ruler README "Equals-ignore-case matching".
describe('equals-ignore-case (Comparison operators)', () => {
  it('matches regardless of case', () => {
    const pattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(match(pattern, { Name: 'Alice' })).toBe(true);
    expect(match(pattern, { Name: 'ALICE' })).toBe(true);
    expect(match(pattern, { Name: 'Alicia' })).toBe(false);
    expect(match({ source: [{ 'equals-ignore-case': 'EC2' }] }, { source: 'ec2' })).toBe(true);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – anything-but section, and the
// Anything-but / Not rows of "Comparison operators for use in event patterns".
describe('anything-but (Content filtering)', () => {
  it('single string', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(match(pattern, { detail: { state: 'running' } })).toBe(true);
    expect(match(pattern, { detail: { state: 'initializing' } })).toBe(false);
  });

  it('single number', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(match(pattern, { detail: { 'x-limit': 456 } })).toBe(true);
    expect(match(pattern, { detail: { 'x-limit': 123 } })).toBe(false);
  });

  it('list of strings', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(match(pattern, { detail: { state: 'running' } })).toBe(true);
    expect(match(pattern, { detail: { state: 'overloaded' } })).toBe(false);
    expect(match({ Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Raining' })).toBe(false);
  });

  it('list of numbers', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(match(pattern, { detail: { 'x-limit': 301.8 } })).toBe(true);
    expect(match(pattern, { detail: { 'x-limit': 200 } })).toBe(false);
  });

  it('prefix', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(match(pattern, { detail: { state: 'running' } })).toBe(true);
    expect(match(pattern, { detail: { state: 'initializing' } })).toBe(false);
    expect(match({ Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'us-east-1' })).toBe(false);
  });

  it('suffix', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(match(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(match(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('equals-ignore-case', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(match(pattern, { state: 'running' })).toBe(true);
    expect(match(pattern, { state: 'INITIALIZING' })).toBe(false);
    const list = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    expect(match(list, { detail: { state: 'overloaded' } })).toBe(false);
    expect(match(list, { detail: { state: 'running' } })).toBe(true);
  });

  it('wildcard', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(match(pattern, { FilePath: '/usr/bin/tool' })).toBe(true);
    expect(match(pattern, { FilePath: '/usr/lib/libc.so' })).toBe(false);
  });

  it('does not match a missing field', () => {
    expect(match({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} })).toBe(false);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – numeric section (event from the
// aws/event-ruler README "Ruler by Example"), and the Numeric rows of the comparison operators table.
describe('numeric (Content filtering)', () => {
  const detail = { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' };
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches when all numeric conditions hold', () => {
    expect(match(pattern, { detail })).toBe(true);
  });

  it('respects range bounds', () => {
    expect(match(pattern, { detail: { ...detail, 'c-count': 0 } })).toBe(false);
    expect(match(pattern, { detail: { ...detail, 'c-count': 6 } })).toBe(false);
    expect(match(pattern, { detail: { ...detail, 'd-count': 10 } })).toBe(false);
    const price = { Price: [{ numeric: ['>', 10, '<=', 20] }] };
    expect(match(price, { Price: 10 })).toBe(false);
    expect(match(price, { Price: 10.5 })).toBe(true);
    expect(match(price, { Price: 20 })).toBe(true);
  });

  it('"=" compares numerically (100 equals 100.0)', () => {
    expect(match({ Price: [{ numeric: ['=', 100] }] }, JSON.parse('{"Price": 100.0}'))).toBe(true);
    expect(match({ Price: [{ numeric: ['=', 100] }] }, { Price: 100.5 })).toBe(false);
  });

  it('only applies to JSON numbers', () => {
    expect(match({ Price: [{ numeric: ['>', 10] }] }, { Price: '15' })).toBe(false);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – IP address matching section.
describe('cidr (Content filtering)', () => {
  const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };

  it('matches an IPv4 address inside the block', () => {
    expect(match(pattern, { detail: { sourceIPAddress: '10.0.0.0' } })).toBe(true);
    expect(match(pattern, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
  });

  it('does not match an address outside the block or a non-address', () => {
    expect(match(pattern, { detail: { sourceIPAddress: '10.0.1.0' } })).toBe(false);
    expect(match(pattern, { detail: { sourceIPAddress: 'not-an-ip' } })).toBe(false);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – exists matching section
// ("Exists matching only works on leaf nodes"); Exists / Does not exist rows of the operators table.
describe('exists (Content filtering)', () => {
  const pendingEvent = {
    version: '0',
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '123456789012',
    time: '2015-11-11T21:29:54Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
  };
  const nonLeafEvent = {
    'detail-type': ['EC2 Instance State-change Notification'],
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
    detail: { 'c-count': { c1: 100 } },
  };

  it('exists: true matches a present field', () => {
    expect(match({ detail: { state: [{ exists: true }] } }, pendingEvent)).toBe(true);
  });

  it('exists: true does not match a missing field', () => {
    expect(match({ detail: { state: [{ exists: true }] } }, nonLeafEvent)).toBe(false);
  });

  it('exists: false matches a missing field', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(match(pattern, event)).toBe(true);
    expect(match({ ProductName: [{ exists: false }] }, { ProductName: 'Widget' })).toBe(false);
  });

  it('only leaf values exist: an object value counts as absent', () => {
    expect(match({ detail: { 'c-count': [{ exists: false }] } }, nonLeafEvent)).toBe(true);
    expect(match({ detail: { 'c-count': [{ exists: true }] } }, nonLeafEvent)).toBe(false);
  });

  it('exists: false matches when the parent object is missing too', () => {
    expect(match({ detail: { 'c-count': [{ exists: false }] } }, { source: 'aws.ec2' })).toBe(true);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – wildcard matching; "Any file with a .png
// extension, located within the folder dir" row of the operators table; AWS Compute Blog "Filtering
// events in Amazon EventBridge with wildcard pattern matching"; aws/event-ruler README escapes.
describe('wildcard (Content filtering)', () => {
  it('"*" matches any run of characters, anchored at both ends', () => {
    const pattern = { FileName: [{ wildcard: 'dir/*.png' }] };
    expect(match(pattern, { FileName: 'dir/hello.png' })).toBe(true);
    expect(match(pattern, { FileName: 'dir/sub/hello.png' })).toBe(true);
    expect(match(pattern, { FileName: 'dir/hello.jpg' })).toBe(false);
    expect(match(pattern, { FileName: 'otherdir/hello.png' })).toBe(false);
  });

  it('supports several wildcards (blog examples "*.png" and "*Title*")', () => {
    expect(match({ key: [{ wildcard: '*.png' }] }, { key: 'a/b.png' })).toBe(true);
    expect(match({ key: [{ wildcard: '*Title*' }] }, { key: 'My Title Page' })).toBe(true);
    expect(match({ key: [{ wildcard: '*Title*' }] }, { key: 'My title page' })).toBe(false);
    expect(match({ source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueueService' })).toBe(true);
  });

  it('treats regex characters literally and honours \\* escapes', () => {
    expect(match({ key: [{ wildcard: 'a.b*' }] }, { key: 'axb' })).toBe(false);
    expect(match({ key: [{ wildcard: 'a\\*b' }] }, { key: 'a*b' })).toBe(true);
    expect(match({ key: [{ wildcard: 'a\\*b' }] }, { key: 'aXb' })).toBe(false);
  });
});

// "Content filtering in Amazon EventBridge event patterns" – complex example with multiple matching
// (with the "source-ip" cidr line from the aws/event-ruler README version of the same example).
describe('complex example (Content filtering)', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };
  const event = {
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    time: '2017-10-02T16:24:49Z',
    detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' },
  };

  it('matches the README sample event', () => {
    expect(match(pattern, event)).toBe(true);
  });

  it('fails as soon as one condition fails', () => {
    expect(match(pattern, { ...event, detail: { ...event.detail, 'x-limit': 300 } })).toBe(false);
    expect(match(pattern, { ...event, detail: { ...event.detail, 'source-ip': '192.168.0.1' } })).toBe(false);
  });
});
