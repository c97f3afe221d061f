import { TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { trustSummaryDeadline, weeklyRollup } from '../../events/schedule';
import type { FunctionName } from '../../functions/registry';
import type { TrackerConfig } from '../config';
import { delivery } from '../delivery';
import type { Functions } from './functions';
import { pascal } from './names';
import { Section } from './section';

/**
 * The Monday schedules, per timezone of the trust's schools (`school add --stage` refuses
 * any other: docs/decisions/0001-rollup-schedules-per-timezone.md): 07:00 fans out one
 * rollup per school in it; 12:00 is the trust summary's deadline.
 */
export class Rollups extends Section {
  readonly scheduleGroup: scheduler.ScheduleGroup;

  constructor(scope: Construct, id: string, props: { config: TrackerConfig; functions: Functions }) {
    super(scope, id);
    const { config, functions } = props;
    const targetName = weeklyRollup.target as FunctionName;
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName: `tracker-${config.stage}` });
    const deadlineTarget = trustSummaryDeadline.target as FunctionName;
    for (const timezone of config.schoolTimezones) {
      const slug = timezone.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
      new scheduler.Schedule(this, `TrustSummaryDeadline${pascal(slug)}`, {
        scheduleName: `trust-summary-deadline-${slug}`.slice(0, 64),
        scheduleGroup: this.scheduleGroup,
        description: `The trust summary's deadline for the schools in ${timezone}: Monday 12:00 local time`,
        schedule: scheduler.ScheduleExpression.expression(trustSummaryDeadline.scheduleExpression, TimeZone.of(timezone)),
        timeWindow: scheduler.TimeWindow.off(),
        target: new InvokeUnqualified(functions.byName[deadlineTarget].function, {
          input: scheduler.ScheduleTargetInput.fromObject({ deadline: true, timezone }),
          retryAttempts: delivery.scheduleRetryAttempts,
          maxEventAge: delivery.scheduleMaxEventAge,
          deadLetterQueue: functions.deadLettersOf(deadlineTarget),
        }),
      });
      new scheduler.Schedule(this, `WeeklyRollup${pascal(slug)}`, {
        scheduleName: `weekly-rollup-${slug}`.slice(0, 64),
        scheduleGroup: this.scheduleGroup,
        description: `Weekly rollups of the schools in ${timezone}: Monday 07:00 local time`,
        schedule: scheduler.ScheduleExpression.expression(weeklyRollup.scheduleExpression, TimeZone.of(timezone)),
        timeWindow: scheduler.TimeWindow.off(),
        target: new InvokeUnqualified(functions.byName[targetName].function, {
          input: scheduler.ScheduleTargetInput.fromObject({ timezone }),
          retryAttempts: delivery.scheduleRetryAttempts,
          maxEventAge: delivery.scheduleMaxEventAge,
          deadLetterQueue: functions.deadLettersOf(targetName),
        }),
      });
    }
  }
}

/**
 * The Scheduler's Lambda target, granted lambda:InvokeFunction on the function's own ARN
 * only (the L2 grants `<arn>:*` too, every version and alias, which the schedule never uses).
 */
export class InvokeUnqualified extends LambdaInvoke {
  constructor(
    private readonly target: lambda.IFunction,
    props: ConstructorParameters<typeof LambdaInvoke>[1],
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }));
  }
}
