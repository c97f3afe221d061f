import { describe, expect, it } from 'vitest';
import { assertValidEventPattern, matchesEventPattern, type EventPattern } from '../../shared/adapters/local/event-pattern';

// Patterns and events below are taken from the AWS EventBridge user guide (page named per group) and,
// where that page defers to it, the aws/event-ruler README (the matching engine behind EventBridge).
const match = (pattern: EventPattern, event: Record<string, unknown>) => matchesEventPattern(pattern, event);

// "Creating Amazon EventBridge event patterns" / "Event pattern syntax"
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
describe('basic matching (Creating event patterns)', () => {
  const ec2Event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };
  const terminated = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches when every field matches (AND), including nested fields', () => {
    expect(match(terminated, ec2Event)).toBe(true);
  });

  it('does not match when one nested field differs', () => {
    expect(match(terminated, { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } })).toBe(false);
  });

  it('does not match when a pattern field is absent from the event', () => {
    const { detail: _omit, ...withoutDetail } = ec2Event;
    expect(match(terminated, withoutDetail)).toBe(false);
  });

  it('treats the values of a leaf array as alternatives (OR)', () => {
    expect(match({ source: ['aws.ec2', 'aws.fargate'] }, ec2Event)).toBe(true);
    expect(match({ source: ['aws.ec2', 'aws.fargate'] }, { ...ec2Event, source: 'aws.fargate' })).toBe(true);
    expect(match({ source: ['aws.ec2', 'aws.fargate'] }, { ...ec2Event, source: 'aws.s3' })).toBe(false);
  });

  it('is case sensitive for exact matches', () => {
    expect(match({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
  });

  // Comparison operators table: "Location": [ "New York" ], "Day": [ "Monday" ]
  it('requires all fields (And row of the comparison operators table)', () => {
    const pattern = { Location: ['New York'], Day: ['Monday'] };
    expect(match(pattern, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(match(pattern, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
  });
});

// "Arrays in Amazon EventBridge event patterns"
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
describe('arrays (Arrays in event patterns)', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(match(pattern, event)).toBe(true);
  });

  it('does not match when the intersection is empty', () => {
    const event = { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] };
    expect(match(pattern, event)).toBe(false);
  });

  // aws/event-ruler README, "JSON Array Matching": arrays of objects are matched element by element.
  it('matches a nested pattern against objects inside an event array', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(match({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(match({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });
});

// "Matching events on event field values" (null, empty string, numbers)
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-filtering-data-types.html
// plus the Null / Empty / Equals rows of the comparison operators table.
describe('exact values: strings, numbers, booleans, null (Matching on event field values)', () => {
  const autoScalingEvent = {
    version: '0',
    id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    account: '123456789012',
    time: '2015-11-11T21:31:47Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('matches a JSON null value with [null]', () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    expect(match(pattern, autoScalingEvent)).toBe(true);
    expect(match(pattern, { ...autoScalingEvent, detail: { responseElements: { ok: 1 } } })).toBe(false);
  });

  it('does not treat a missing field as null', () => {
    expect(match({ UserID: [null] }, { UserID: null })).toBe(true);
    expect(match({ UserID: [null] }, {})).toBe(false);
  });

  it('matches an empty string with [""]', () => {
    expect(match({ detail: { eventVersion: [''] } }, autoScalingEvent)).toBe(true);
    expect(match({ LastName: [''] }, { LastName: 'Smith' })).toBe(false);
  });

  it('matches numbers numerically and never a number against its string form', () => {
    const macie = { detail: { severity: { score: 1, description: 'Low' }, count: 2 } };
    expect(match({ detail: { severity: { score: [1] }, count: [2] } }, macie)).toBe(true);
    expect(match({ detail: { count: [2] } }, JSON.parse('{"detail":{"count":2.0}}'))).toBe(true);
    expect(match({ detail: { count: ['2'] } }, macie)).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(match({ detail: { enabled: [true] } }, { detail: { enabled: true } })).toBe(true);
    expect(match({ detail: { enabled: [true] } }, { detail: { enabled: 'true' } })).toBe(false);
  });
});

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

// "$or" – "Or (multiple fields)" row of the comparison operators table; AWS User Notifications guide
// "Filtering event rules using customized JSON event patterns" (EC2 state change using $or);
// aws/event-ruler README "Rule examples with $or Primitive".
describe('$or (Comparison operators)', () => {
  it('matches when any alternative matches', () => {
    const pattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(match(pattern, { Location: 'Boston', Day: 'Monday' })).toBe(true);
    expect(match(pattern, { Location: 'New York', Day: 'Friday' })).toBe(true);
    expect(match(pattern, { Location: 'Boston', Day: 'Friday' })).toBe(false);
  });

  it('works inside a nested object', () => {
    const pattern = { detail: { $or: [{ state: ['running'] }, { state: ['terminated'] }] } };
    expect(match(pattern, { detail: { state: 'terminated' } })).toBe(true);
    expect(match(pattern, { detail: { state: 'pending' } })).toBe(false);
  });

  it('is ANDed with sibling fields', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(match(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(match(pattern, { source: 'aws.ec2', namespace: 'AWS/ES' })).toBe(false);
    expect(match(pattern, { source: 'aws.cloudwatch', metricName: 'WriteLatency' })).toBe(false);
  });

  it('supports nested $or with an AND inside an alternative', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const base = { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' };
    expect(match(pattern, { ...base, spaceId: 1000 })).toBe(true);
    expect(match(pattern, { ...base, spaceId: 999 })).toBe(false);
    expect(match(pattern, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
  });

  it('combines with numeric alternatives', () => {
    const pattern = {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
      },
    };
    expect(match(pattern, { detail: { 'c-count': 50, 'd-count': 50, 'x-limit': 301.8 } })).toBe(true);
    expect(match(pattern, { detail: { 'c-count': 50, 'd-count': 50, 'x-limit': 1 } })).toBe(false);
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
