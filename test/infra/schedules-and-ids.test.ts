import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { trustSummaryDeadline, weeklyRollup } from '../../events/schedule';
import { misSyncSchedule } from '../../infra/constructs/mis-connector';
import { asArray, deployedFunctions, refOf, resource, resourcesOf, synth } from './support';

/** The Monday schedules (docs/decisions/0001) and the logical ids that must never change. */
let template: Template;
beforeAll(() => {
  template = synth().template();
});

describe('weekly schedules', () => {
  it('per distinct timezone: the rollups at 07:00 and the trust summary deadline at 12:00, with retries and DLQ', () => {
    const t = synth({ schoolTimezones: 'Europe/London, America/New_York,Europe/London' }).template();
    const fns = deployedFunctions(t);
    // The Monday ones; the MIS connector's 15-minute sync is tested in least-privilege.test.ts.
    const schedules = resourcesOf(t, 'AWS::Scheduler::Schedule')
      .map(([, s]) => s.Properties)
      .filter((s) => s.ScheduleExpression !== misSyncSchedule);
    const kinds = [
      { expression: weeklyRollup.scheduleExpression, target: 'schedule-rollups' as const, input: (timezone: string) => ({ timezone }) },
      { expression: trustSummaryDeadline.scheduleExpression, target: 'trust-summary' as const, input: (timezone: string) => ({ deadline: true, timezone }) },
    ];
    for (const kind of kinds) {
      const ofKind = schedules.filter((s) => s.ScheduleExpression === kind.expression);
      expect(ofKind.map((s) => s.ScheduleExpressionTimezone).sort()).toEqual(['America/New_York', 'Europe/London']);
      for (const schedule of ofKind) {
        expect(schedule.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
        expect(refOf(schedule.Target.Arn)).toBe(fns[kind.target].logicalId);
        expect(JSON.parse(schedule.Target.Input)).toEqual(kind.input(schedule.ScheduleExpressionTimezone));
        expect(schedule.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21_600, MaximumRetryAttempts: 10 });
        expect(resource(t, refOf(schedule.Target.DeadLetterConfig.Arn)!).Type).toBe('AWS::SQS::Queue');
        // The scheduler's role may invoke that function (unqualified) and write its DLQ, nothing else.
        const roleId = refOf(schedule.Target.RoleArn)!;
        const policy = resourcesOf(t, 'AWS::IAM::Policy').find(([, p]) => asArray(p.Properties.Roles).some((r) => refOf(r) === roleId))![1];
        expect(policy.Properties.PolicyDocument.Statement).toEqual([
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fns[kind.target].logicalId, 'Arn'] } },
          { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: schedule.Target.DeadLetterConfig.Arn },
        ]);
      }
    }
    expect(schedules).toHaveLength(4);
    expect((t.toJSON().Outputs as Record<string, { Value: unknown }>).ScheduledTimezones!.Value).toBe('Europe/London,America/New_York');
  });

  it('defaults to Europe/London only', () => {
    const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule').filter(([, s]) => s.Properties.ScheduleExpression !== misSyncSchedule);
    expect([...new Set(schedules.map(([, s]) => s.Properties.ScheduleExpressionTimezone))]).toEqual([weeklyRollup.defaultTimezone]);
  });
});

describe('logical ids that must never change', () => {
  // A changed logical id is a new resource to CloudFormation: a retained table or key would
  // be orphaned and an empty one created in its place. Sections (infra/constructs/section.ts)
  // must not change them.
  it('the table, its keys and the stream mapping keep the ids they were first deployed with', () => {
    const ids = Object.keys(template.toJSON().Resources);
    expect(ids).toContain('TableCD117FA1');
    expect(ids).toContain('TableKeyF581D96F');
    expect(ids).toContain('WebhookSecretsKey5C1E05FC');
    expect(ids).toContain('PublishStoredEventsFunctionDynamoDBEventSourceInterventionTrackerdevTable292FB867289A3EEC');
    expect(resourcesOf(template, 'AWS::DynamoDB::GlobalTable').map(([id]) => id)).toEqual(['TableCD117FA1']);
  });

  it('functions, queues, rules and alarms keep their pre-section ids', () => {
    const ids = Object.keys(template.toJSON().Resources);
    for (const id of [
      'IngestEventsFunctionD7394A40',
      'NotifyParentsDeadLettersQueue125AC46E',
      'ParentNotificationsRule081F7D30',
      'BusEA82B648',
      'ApiF70053CD',
      'AlarmTopicD01E77F9',
      'WeeklyRollupEuropeLondon99DCEB06',
      'OperatorPolicy63C1EB6F',
    ]) {
      expect(ids, id).toContain(id);
    }
  });
});
