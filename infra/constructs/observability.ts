import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { functionNames, type FunctionName } from '../../functions/registry';
import type { BusinessMetricName } from '../../shared/ports/metrics';
import type { TrackerConfig } from '../config';
import { acknowledge, acknowledgementReasons } from '../nag';
import type { Functions } from './functions';
import { kebab, metricsNamespace, pascal } from './names';
import { Section } from './section';

const fiveMinutes = Duration.minutes(5);

/**
 * What tells ops something is wrong: an alarm on every dead-letter queue, every function's
 * errors and throttles, the webhook's 5xx and the stream's lag, all to one encrypted topic
 * that emails ops; and a dashboard.
 */
export class Observability extends Section {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly notify: cloudwatchActions.SnsAction;
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: { config: TrackerConfig; functions: Functions; httpApi: apigw.HttpApi }) {
    super(scope, id);
    const { config, functions, httpApi } = props;
    const stack = Stack.of(this);
    this.stage = config.stage;
    const alarmsKey = new kms.Key(this, 'AlarmsKey', {
      description: `Intervention tracker (${config.stage}): the alarm topic`,
      alias: `alias/intervention-tracker/${config.stage}/alarms`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch alarms publish to the encrypted topic (AWS's documented key policy for it).
    alarmsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `tracker-${config.stage}-alarms`,
      displayName: `Intervention tracker (${config.stage}) alarms`,
      masterKey: alarmsKey,
      enforceSSL: true,
    });
    // The topic's policy (created for enforceSSL) replaces SNS's default one: let this
    // account's CloudWatch alarms publish explicitly.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    const opsSubscription = this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.opsEmail));
    acknowledge(opsSubscription, 'Serverless-SNSRedrivePolicy', acknowledgementReasons.alarmEmailRedrive);
    this.notify = new cloudwatchActions.SnsAction(this.alarmTopic);

    const dlqDepth = (queue: (typeof functions.deadLetterQueues)[number]['queue']) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' });
    for (const dlq of functions.deadLetterQueues) {
      this.alarm(`${dlq.node.id}Alarm`, dlqDepth(dlq.queue), `${dlq.queue.queueName} holds messages: ${dlq.purpose}. See docs/deploy.md (dead letters).`);
    }
    const allFns = functionNames.map((name) => functions.byName[name].function);
    for (const name of functionNames) {
      const fn = functions.byName[name].function;
      this.alarm(`${pascal(name)}ErrorsAlarm`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), `${name} failed (see its logs and X-Ray traces)`);
      this.alarm(`${pascal(name)}ThrottlesAlarm`, fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), `${name} was throttled (account concurrency)`);
    }
    // Business metrics (shared/ports/metrics.ts), Powertools EMF: a `service` dimension per function.
    const business = (metricName: BusinessMetricName, service: FunctionName) =>
      new cloudwatch.Metric({
        namespace: metricsNamespace(config.stage),
        metricName,
        dimensionsMap: { service },
        period: fiveMinutes,
        statistic: 'Sum',
        label: `${metricName} (${service})`,
      });
    // A DSL alert SES refused (alert-dsl) or that bounced (record-mail-feedback).
    const dslUndelivered = new cloudwatch.MathExpression({
      expression: 'FILL(refused, 0) + FILL(bounced, 0)',
      usingMetrics: { refused: business('DslAlertUndelivered', 'alert-dsl'), bounced: business('DslAlertUndelivered', 'record-mail-feedback') },
      period: fiveMinutes,
      label: 'DSL alerts not delivered',
    });
    this.alarm(
      'DslAlertUndeliveredAlarm',
      dslUndelivered,
      "A safeguarding alert did not reach a school's DSL (refused or bounced): a bounced one went to the school's leaders instead. Correct the DSL address.",
    );
    const api5xx = httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    this.alarm('Api5xxAlarm', api5xx, 'The webhook answered 5xx: schools retry, but nothing is being stored');
    const iteratorAge = functions.byName['publish-stored-events'].function.metric('IteratorAge', { period: fiveMinutes, statistic: 'Maximum' });
    this.alarm(
      'StreamIteratorAgeAlarm',
      iteratorAge,
      'Stored events wait more than 5 minutes to reach the bus (publish-stored-events is failing or behind)',
      Duration.minutes(5).toMilliseconds(),
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `intervention-tracker-${config.stage}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Webhook requests and errors',
        left: [httpApi.metricCount({ period: fiveMinutes }), httpApi.metricClientError({ period: fiveMinutes }), api5xx],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Webhook latency (p99, ms)',
        left: [httpApi.metricLatency({ period: fiveMinutes, statistic: 'p99' }), httpApi.metricIntegrationLatency({ period: fiveMinutes, statistic: 'p99' })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Function errors', left: allFns.map((fn) => fn.metricErrors({ period: fiveMinutes })), width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Function throttles', left: allFns.map((fn) => fn.metricThrottles({ period: fiveMinutes })), width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Function duration (p95, ms)',
        left: allFns.map((fn) => fn.metricDuration({ period: fiveMinutes, statistic: 'p95' })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Stream iterator age (max, ms)', left: [iteratorAge], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Dead letters waiting',
        left: functions.deadLetterQueues.map((dlq) => dlqDepth(dlq.queue)),
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Webhook events (all schools; per school: the schoolId dimension)',
        left: (['EventsAccepted', 'EventsDuplicate', 'EventsRejected'] as const).map((name) => business(name, 'ingest-events')),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Notifications',
        left: [
          ...(['NotificationsSent', 'NotificationsSuppressed', 'NotificationsRejected'] as const).flatMap((name) => [
            business(name, 'notify-parents'),
            business(name, 'alert-dsl'),
          ]),
          business('NotificationsBounced', 'record-mail-feedback'),
          business('NotificationsComplained', 'record-mail-feedback'),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rollups, trust summaries, DSL alerts not delivered',
        left: [business('RollupsCompleted', 'rollup-school'), business('TrustSummariesSent', 'trust-summary'), dslUndelivered],
        width: 8,
      }),
    );
  }

  /** An alarm at `threshold` or above in one 5-minute period, to the ops topic (and back to OK). */
  alarm(id: string, metric: cloudwatch.IMetric, description: string, threshold = 1): cloudwatch.Alarm {
    const created = new cloudwatch.Alarm(this, id, {
      alarmName: `tracker-${this.stage}-${kebab(id)}`,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(this.notify);
    created.addOkAction(this.notify);
    this.alarms.push(created);
    return created;
  }
}
