import { describe, expect, it } from 'vitest';
import { matchesEventPattern as match } from '../../shared/adapters/local/event-pattern';

// How EventBridge matches fields, arrays, exact values and $or. Patterns and events are taken from the
// AWS EventBridge user guide (page named per group) and, where that page defers to it, the
// aws/event-ruler README (the matching engine behind EventBridge). The operators are in
// event-pattern-content-filtering.test.ts, pattern validation in event-pattern-validation.test.ts.

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
