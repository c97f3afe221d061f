import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../events/rules';
import { functionNames, type FunctionName } from '../../functions/registry';
import { functionSpecs, mailPacing } from '../../infra/functions';
import { businessMetricNames } from '../../shared/ports/metrics';
import { asArray, defaultTemplate, deployedFunctions, refOf, resource, resourcesOf, type Statement } from './support';

/** How stored events reach the functions (stream, publisher, bus rules, queues) and how ops hear when they don't (alarms, dashboard). */
let template: Template;
let stage: string;
beforeAll(() => ({ template, stage } = defaultTemplate()));

const json = (value: unknown) => JSON.stringify(value);

describe('fan-out: stream → publisher → bus', () => {
  it('the stream feeds publish-stored-events with partial batch failures and an SQS on-failure destination', () => {
    const fns = deployedFunctions(template);
    const [tableId] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!;
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => json(m.Properties.EventSourceArn).includes('StreamArn'));
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]![1].Properties;
    expect(refOf(mapping.FunctionName)).toBe(fns['publish-stored-events'].logicalId);
    expect(mapping.EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    expect(mapping).toMatchObject({
      BisectBatchOnFunctionError: false,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86_400,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
    });
    const queue = resource(template, refOf(mapping.DestinationConfig.OnFailure.Destination)!);
    expect(queue.Type).toBe('AWS::SQS::Queue');
  });

  it('publish-stored-events may PutEvents on the tracker bus only', () => {
    const [busId] = resourcesOf(template, 'AWS::Events::EventBus')[0]!;
    const put = deployedFunctions(template)['publish-stored-events'].statements.find((s) => s.Action === 'events:PutEvents')!;
    expect(put.Resource).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
  });
});

describe('rules', () => {
  it('one rule per entry of events/rules.ts, with the pattern byte-for-byte', () => {
    const eventRules = resourcesOf(template, 'AWS::Events::Rule');
    expect(eventRules).toHaveLength(Object.keys(rules).length);
    for (const rule of Object.values(rules)) {
      const matching = eventRules.filter(([, r]) => r.Properties.Description === rule.description);
      expect(matching, rule.description).toHaveLength(1);
      expect(JSON.stringify(matching[0]![1].Properties.EventPattern)).toBe(JSON.stringify(rule.pattern));
    }
  });

  it.each(Object.entries(rules))("%s targets its function with a retry policy and that function's encrypted DLQ", (_ruleName, rule) => {
    const fns = deployedFunctions(template);
    const [busId] = resourcesOf(template, 'AWS::Events::EventBus')[0]!;
    const [, eventRule] = resourcesOf(template, 'AWS::Events::Rule').find(([, r]) => r.Properties.Description === rule.description)!;
    // SES publishes its feedback to the default bus; everything else is on the tracker's.
    if ('bus' in rule) expect(eventRule.Properties.EventBusName).toBe('default');
    else expect(refOf(eventRule.Properties.EventBusName)).toBe(busId);
    expect(eventRule.Properties.Targets).toHaveLength(1);
    const target = eventRule.Properties.Targets[0];
    const fn = fns[rule.target as FunctionName];
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21_600, MaximumRetryAttempts: 10 });
    const dlqId = refOf(target.DeadLetterConfig.Arn)!;
    expect(resource(template, dlqId).Properties.SqsManagedSseEnabled).toBe(true);
    if (functionSpecs[rule.target as FunctionName].trigger === 'queue') {
      // Paced mail: the rule fills the function's queue, which the function drains.
      const queue = resource(template, refOf(target.Arn)!);
      expect(queue.Type).toBe('AWS::SQS::Queue');
      expect(refOf(queue.Properties.RedrivePolicy.deadLetterTargetArn)).toBe(dlqId);
      expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(mailPacing.maxReceiveCount);
      expect(queue.Properties.VisibilityTimeout).toBe(functionSpecs[rule.target as FunctionName].timeoutSeconds * 6);
      const [, mapping] = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').find(([, m]) => refOf(m.Properties.EventSourceArn) === refOf(target.Arn))!;
      expect(refOf(mapping.Properties.FunctionName)).toBe(fn.logicalId);
      expect(mapping.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
      expect(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').some(([, c]) => refOf(c.Properties.FunctionName) === fn.logicalId)).toBe(false);
      return;
    }
    expect(refOf(target.Arn)).toBe(fn.logicalId);
    // The same queue takes the function's own asynchronous failures.
    const [, invokeConfig] = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => refOf(c.Properties.FunctionName) === fn.logicalId)!;
    expect(refOf(invokeConfig.Properties.DestinationConfig.OnFailure.Destination)).toBe(dlqId);
    expect(invokeConfig.Properties.MaximumRetryAttempts).toBe(2);
  });
});

describe('queues', () => {
  it('every queue is encrypted and refuses non-TLS requests', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const paced = functionNames.filter((name) => functionSpecs[name].trigger === 'queue');
    expect(queues).toHaveLength(functionNames.filter((name) => functionSpecs[name].trigger !== 'api').length + paced.length);
    for (const [queueId, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod).toBe(1_209_600);
      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([, p]) => asArray(p.Properties.Queues).some((q) => refOf(q) === queueId));
      const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
      expect(statements, queueId).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('operability', () => {
  it("alarms on every DLQ, every function's errors and throttles, API 5xx and the stream iterator age", () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const fns = deployedFunctions(template);
    for (const [queueId] of resourcesOf(template, 'AWS::SQS::Queue').filter(([, q]) => String(q.Properties.QueueName).endsWith('-dlq'))) {
      expect(
        alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && refOf(a.Dimensions[0].Value) === queueId && a.Threshold === 1),
        queueId,
      ).toBe(true);
    }
    for (const name of functionNames) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(
          alarms.some((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric && refOf(a.Dimensions[0].Value) === fns[name].logicalId),
          `${name} ${metric}`,
        ).toBe(true);
      }
    }
    expect(alarms.some((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === '5xx')).toBe(true);
    const iterator = alarms.find((a) => a.MetricName === 'IteratorAge')!;
    expect(refOf(iterator.Dimensions[0].Value)).toBe(fns['publish-stored-events'].logicalId);
    // "A DSL alert was not delivered": SES refused it (alert-dsl) or it bounced (record-mail-feedback).
    const dslUndelivered = alarms.find((a) => String(a.AlarmName).endsWith('dsl-alert-undelivered'))!;
    const metrics = (dslUndelivered.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] } } }[]).flatMap((m) =>
      m.MetricStat ? [m.MetricStat.Metric] : [],
    );
    expect(metrics).toEqual(
      ['alert-dsl', 'record-mail-feedback'].map((service) => ({
        Namespace: `InterventionTracker/${stage}`,
        MetricName: 'DslAlertUndelivered',
        Dimensions: [{ Name: 'service', Value: service }],
      })),
    );
    expect(dslUndelivered.Threshold).toBe(1);
    // + the MIS connector's operator-alert alarm (infra/constructs/mis-connector.ts).
    expect(alarms).toHaveLength(functionNames.filter((name) => functionSpecs[name].trigger !== 'api').length + 2 * functionNames.length + 3 + 1);
  });

  it('every alarm notifies the KMS-encrypted, TLS-only SNS topic that emails ops', () => {
    const [topicId, topic] = resourcesOf(template, 'AWS::SNS::Topic')[0]!;
    expect(resource(template, refOf(topic.Properties.KmsMasterKeyId)!).Properties.EnableKeyRotation).toBe(true);
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions.map(refOf)).toEqual([topicId]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: { Ref: topicId } });
    const policy = resourcesOf(template, 'AWS::SNS::TopicPolicy')[0]![1].Properties.PolicyDocument.Statement as Statement[];
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }));
  });

  it('has a dashboard, with every business metric on it', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = json(resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    for (const name of businessMetricNames) expect(body, name).toContain(`\\"${name}\\"`);
  });
});
