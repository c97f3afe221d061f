import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Tags, TimeZone, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { rules } from '../events/rules';
import { weeklyRollup } from '../events/schedule';
import { functionNames, type FunctionName } from '../functions/registry';
import { table as tableDefinition } from '../shared/domain/table';
import type { TrackerConfig } from './config';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { MisConnector, misConnectorEnvironment } from './constructs/mis-connector';
import { TrackerFunction } from './constructs/tracker-function';
import type { EnvName } from '../shared/adapters/aws/environment';
import { functionSpecs, storageAttemptMs } from './functions';
import { acknowledge, acknowledgementReasons, nagArn } from './nag';
import { streamDelivery } from './stream-delivery';

/** The stack's outputs; the CLI reads the first five (infra/cli/targets.ts `stackOutputs`). */
export const outputNames = {
  tableName: 'TableName',
  apiUrl: 'ApiUrl',
  secretsPrefix: 'WebhookSecretsPrefix',
  secretsKey: 'WebhookSecretsKeyArn',
  rollupFunction: 'RollupFunctionName',
  publisherFunction: 'PublisherFunctionName',
  eventBus: 'EventBusName',
  alarmTopic: 'AlarmTopicArn',
  dashboard: 'DashboardUrl',
  sesIdentity: 'SesIdentity',
  operatorPolicy: 'OperatorPolicyArn',
  customDomainTarget: 'CustomDomainTarget',
} as const;

export const trackerStackName = (stage: string) => `InterventionTracker-${stage}`;

/** Secrets Manager names: `<prefix>/<schoolId>/webhook` (shared/adapters/aws/secrets-manager.ts). */
export const webhookSecretsPrefix = (stage: string) => `intervention-tracker/${stage}`;

/** Retry and age limits of every asynchronous hop, in one place. */
export const delivery = {
  /** EventBridge rule → Lambda (delivery retries: throttling, service errors). */
  ruleRetryAttempts: 10,
  ruleMaxEventAge: Duration.hours(6),
  /** Lambda's own retries after the function fails on an asynchronous event (max 2). */
  asyncRetryAttempts: 2,
  asyncMaxEventAge: Duration.hours(6),
  /** EventBridge Scheduler → Lambda. */
  scheduleRetryAttempts: 10,
  scheduleMaxEventAge: Duration.hours(6),
  /** Table stream → publisher. */
  streamRetryAttempts: streamDelivery.retryAttempts,
  streamMaxRecordAge: Duration.hours(streamDelivery.maxRecordAgeHours),
  streamBatchSize: streamDelivery.batchSize,
} as const;

export interface TrackerStackProps extends StackProps {
  config: TrackerConfig;
  /** The project root (functions/, package-lock.json). */
  projectRoot: string;
}

export class TrackerStack extends Stack {
  readonly functions: Record<FunctionName, TrackerFunction>;
  readonly deadLetterQueues: DeadLetterQueue[] = [];

  constructor(scope: Construct, id: string, props: TrackerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { stage } = config;
    Tags.of(this).add('application', 'intervention-tracker');
    Tags.of(this).add('stage', stage);

    // ---------------------------------------------------------------- keys
    const tableKey = new kms.Key(this, 'TableKey', {
      description: `Intervention tracker (${stage}): the table, its stream and backups`,
      alias: `alias/intervention-tracker/${stage}/table`,
      enableKeyRotation: true,
      // The table is retained on stack deletion; its key must outlive it or the data is lost.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secretsKey = new kms.Key(this, 'WebhookSecretsKey', {
      description: `Intervention tracker (${stage}): schools' webhook secrets in Secrets Manager`,
      alias: `alias/intervention-tracker/${stage}/webhook-secrets`,
      enableKeyRotation: true,
      // Secrets are created by the CLI, outside this stack, and outlive it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const alarmsKey = new kms.Key(this, 'AlarmsKey', {
      description: `Intervention tracker (${stage}): the alarm topic`,
      alias: `alias/intervention-tracker/${stage}/alarms`,
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

    // ---------------------------------------------------------------- table
    const { byPupil, byWeek } = tableDefinition.indexes;
    const string = dynamodb.AttributeType.STRING;
    const table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: string },
      sortKey: { name: tableDefinition.sortKey, type: string },
      globalSecondaryIndexes: [byPupil, byWeek].map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
      })),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(tableKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
    });

    // ---------------------------------------------------------------- bus, email, secrets
    const bus = new events.EventBus(this, 'Bus', {
      eventBusName: `tracker-${stage}`,
      description: `Intervention tracker (${stage}): stored events and rollups`,
    });

    const configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `tracker-${stage}`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Messages name pupils: never hand them to a mail server over plain text.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    const identityIsAddress = config.sesIdentity.includes('@');
    const emailIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: identityIsAddress ? ses.Identity.email(config.sesIdentity) : ses.Identity.domain(config.sesIdentity),
      configurationSet,
    });
    const sesArn = (resource: string, resourceName: string) => this.formatArn({ service: 'ses', resource, resourceName });
    const sendEmail = new iam.PolicyStatement({
      sid: 'SendWithTheTrackerIdentityOnly',
      actions: ['ses:SendEmail'],
      resources: [
        emailIdentity.emailIdentityArn,
        sesArn('configuration-set', configurationSet.configurationSetName),
        // In the SES sandbox, SES also authorizes each (verified) recipient identity.
        ...config.sesSandboxRecipients.map((recipient) => sesArn('identity', recipient)),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': config.mailFrom } },
    });

    const secretsPrefix = webhookSecretsPrefix(stage);
    const secretsArnPattern = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${secretsPrefix}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // ---------------------------------------------------------------- functions
    const envValues: Record<Exclude<EnvName, 'STORAGE_TIMEOUT_MS'>, string> = {
      TABLE_NAME: table.tableName,
      SECRETS_PREFIX: secretsPrefix,
      EVENT_BUS_NAME: bus.eventBusName,
      MAIL_FROM: config.mailFrom,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      TRUST_LEADERS: config.trustLeaders.join(','),
      TRUST_NAME: config.trustName,
      ...misConnectorEnvironment(this, stage),
    };
    const tableArnFor = (index?: string) => (index ? `${table.tableArn}/index/${index}` : table.tableArn);

    this.functions = {} as Record<FunctionName, TrackerFunction>;
    for (const name of functionNames) {
      const spec = functionSpecs[name];
      const tracked = new TrackerFunction(this, pascal(name), {
        name,
        spec,
        stage,
        projectRoot: props.projectRoot,
        environment: Object.fromEntries(
          spec.env.map((key) => [key, key === 'STORAGE_TIMEOUT_MS' ? String(storageAttemptMs(spec.timeoutSeconds)) : envValues[key]]),
        ),
        logRetention: config.logRetentionDays as logs.RetentionDays,
        logLevel: config.logLevel,
        metricsNamespace: `InterventionTracker/${stage}`,
      });
      this.functions[name] = tracked;
      const { role } = tracked;

      if (spec.table) {
        if (spec.table.actions.length) {
          role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'TableItems', actions: [...spec.table.actions], resources: [table.tableArn] }));
        }
        if (spec.table.indexes?.length) {
          role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'TableIndexQueries',
              actions: ['dynamodb:Query'],
              resources: spec.table.indexes.map((index) => tableArnFor(tableDefinition.indexes[index].name)),
            }),
          );
        }
        // The table key, only through DynamoDB. DynamoDB calls KMS as the caller to
        // decrypt the table key, and encrypts new data under it.
        const writes = spec.table.actions.some((action) => action === 'dynamodb:PutItem' || action === 'dynamodb:UpdateItem' || action === 'dynamodb:DeleteItem');
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'TableKeyViaDynamoDB',
            actions: ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])],
            resources: [tableKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
          }),
        );
      }
      if (spec.publishes) bus.grantPutEventsTo(role);
      if (spec.sendsEmail) role.addToPrincipalPolicy(sendEmail);
      if (spec.readsWebhookSecrets) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({ sid: 'ReadWebhookSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [secretsArnPattern] }),
        );
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'DecryptWebhookSecretsViaSecretsManager',
            actions: ['kms:Decrypt'],
            resources: [secretsKey.keyArn],
            conditions: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` },
              StringLike: { 'kms:EncryptionContext:SecretARN': secretsArnPattern },
            },
          }),
        );
        acknowledge(role, `AwsSolutions-IAM5[Resource::${nagArn(this, secretsArnPattern)}]`, acknowledgementReasons.webhookSecretsPrefix);
      }
    }
    const fns = this.functions;

    // ---------------------------------------------------------------- dead-letter queues
    /** One per asynchronously invoked function: delivery failures and failed invocations. */
    const deadLetters = {} as Partial<Record<FunctionName, DeadLetterQueue>>;
    for (const name of functionNames) {
      const { trigger } = functionSpecs[name];
      if (trigger !== 'rule' && trigger !== 'schedule' && trigger !== 'stream') continue;
      const dlq = new DeadLetterQueue(this, `${pascal(name)}DeadLetters`, {
        queueName: `tracker-${stage}-${name}-dlq`,
        purpose:
          trigger === 'stream'
            ? `stream batches ${name} could not publish after ${delivery.streamRetryAttempts} retries (shard and sequence numbers; replay from the table)`
            : `events ${trigger === 'rule' ? 'EventBridge' : 'EventBridge Scheduler'} could not deliver to ${name}, and invocations that failed after Lambda's retries`,
      });
      deadLetters[name] = dlq;
      this.deadLetterQueues.push(dlq);
      if (trigger !== 'stream') {
        fns[name].function.configureAsyncInvoke({
          retryAttempts: delivery.asyncRetryAttempts,
          maxEventAge: delivery.asyncMaxEventAge,
          onFailure: dlq.asyncFailureDestination(),
        });
      }
    }
    const deadLettersOf = (name: FunctionName) => {
      const dlq = deadLetters[name];
      if (!dlq) throw new Error(`${name} has no dead-letter queue (trigger ${functionSpecs[name].trigger})`);
      return dlq.queue;
    };

    // ---------------------------------------------------------------- fan-out: stream → bus → rules
    const publisher = fns['publish-stored-events'].function;
    publisher.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: delivery.streamBatchSize,
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        retryAttempts: delivery.streamRetryAttempts,
        maxRecordAge: delivery.streamMaxRecordAge,
        // One batch per shard at a time keeps each item's changes in order on the bus.
        parallelizationFactor: 1,
        onFailure: deadLetters['publish-stored-events']!.streamFailureDestination(),
      }),
    );

    for (const [ruleName, rule] of Object.entries(rules)) {
      const target = fns[rule.target];
      const eventRule = new events.Rule(this, `${pascal(ruleName)}Rule`, {
        eventBus: bus,
        description: rule.description,
        // Replaced below by the exact pattern; the L2 needs one to validate.
        eventPattern: { source: [...rule.pattern.source] },
      });
      // Byte-identical to events/rules.ts (`detail-type`, `$or`), which the local bus also runs.
      (eventRule.node.defaultChild as events.CfnRule).eventPattern = structuredClone(rule.pattern);
      eventRule.addTarget(
        new eventTargets.LambdaFunction(target.function, {
          retryAttempts: delivery.ruleRetryAttempts,
          maxEventAge: delivery.ruleMaxEventAge,
          deadLetterQueue: deadLettersOf(rule.target),
        }),
      );
    }

    // ---------------------------------------------------------------- weekly schedule
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', { scheduleGroupName: `tracker-${stage}` });
    const scheduleTarget = fns[weeklyRollup.target as FunctionName];
    for (const timezone of config.schoolTimezones) {
      const slug = timezone.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
      new scheduler.Schedule(this, `WeeklyRollup${pascal(slug)}`, {
        scheduleName: `weekly-rollup-${slug}`.slice(0, 64),
        scheduleGroup,
        description: `Weekly rollups of the schools in ${timezone}: Monday 07:00 local time`,
        schedule: scheduler.ScheduleExpression.expression(weeklyRollup.scheduleExpression, TimeZone.of(timezone)),
        timeWindow: scheduler.TimeWindow.off(),
        target: new InvokeUnqualified(scheduleTarget.function, {
          input: scheduler.ScheduleTargetInput.fromObject({ timezone }),
          retryAttempts: delivery.scheduleRetryAttempts,
          maxEventAge: delivery.scheduleMaxEventAge,
          deadLetterQueue: deadLettersOf(weeklyRollup.target as FunctionName),
        }),
      });
    }

    // ---------------------------------------------------------------- API
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const httpApi = new apigw.HttpApi(this, 'Api', {
      apiName: `tracker-${stage}`,
      description: `Intervention tracker (${stage}): the schools' webhook`,
      createDefaultStage: false,
    });
    const [webhookRoute] = httpApi.addRoutes({
      path: '/v1/schools/{schoolId}/events',
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestEvents', fns['ingest-events'].function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    acknowledge(webhookRoute!, 'AwsSolutions-APIG4', acknowledgementReasons.webhookAuthorization);
    const domain =
      config.domainName && config.certificateArn
        ? new apigw.DomainName(this, 'CustomDomain', {
            domainName: config.domainName,
            certificate: acm.Certificate.fromCertificateArn(this, 'CustomDomainCertificate', config.certificateArn),
            securityPolicy: apigw.SecurityPolicy.TLS_1_2,
          })
        : undefined;
    const stageResource = new apigw.HttpStage(this, 'ApiStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: apiAccessLogFormat },
      ...(domain ? { domainMapping: { domainName: domain } } : {}),
    });
    const apiUrl = domain ? `https://${config.domainName}/` : stageResource.url;

    // ---------------------------------------------------------------- alarms and dashboard
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `tracker-${stage}-alarms`,
      displayName: `Intervention tracker (${stage}) alarms`,
      masterKey: alarmsKey,
      enforceSSL: true,
    });
    // The topic's policy (created for enforceSSL) replaces SNS's default one: let this
    // account's CloudWatch alarms publish explicitly.
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
    const opsSubscription = alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.opsEmail));
    acknowledge(opsSubscription, 'Serverless-SNSRedrivePolicy', acknowledgementReasons.alarmEmailRedrive);
    const notify = new cloudwatchActions.SnsAction(alarmTopic);
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: `tracker-${stage}-${kebab(id)}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      alarms.push(created);
      return created;
    };
    const fiveMinutes = Duration.minutes(5);

    new MisConnector(this, 'MisConnector', {
      stage,
      functions: fns,
      secretsKey,
      httpApi,
      scheduleGroup,
      scheduleTarget: (fn) =>
        new InvokeUnqualified(fn, {
          input: scheduler.ScheduleTargetInput.fromObject({}),
          retryAttempts: delivery.scheduleRetryAttempts,
          maxEventAge: delivery.scheduleMaxEventAge,
          deadLetterQueue: deadLettersOf('sync-mis'),
        }),
      alarm,
    });

    for (const dlq of this.deadLetterQueues) {
      alarm(
        `${dlq.node.id}Alarm`,
        dlq.queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        `${dlq.queue.queueName} holds messages: ${dlq.purpose}. See docs/deploy.md (dead letters).`,
      );
    }
    for (const name of functionNames) {
      const fn = fns[name].function;
      alarm(`${pascal(name)}ErrorsAlarm`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), `${name} failed (see its logs and X-Ray traces)`);
      alarm(`${pascal(name)}ThrottlesAlarm`, fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), `${name} was throttled (account concurrency)`);
    }
    const api5xx = httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    alarm('Api5xxAlarm', api5xx, 'The webhook answered 5xx: schools retry, but nothing is being stored');
    const iteratorAge = publisher.metric('IteratorAge', { period: fiveMinutes, statistic: 'Maximum' });
    alarm(
      'StreamIteratorAgeAlarm',
      iteratorAge,
      'Stored events wait more than 5 minutes to reach the bus (publish-stored-events is failing or behind)',
      Duration.minutes(5).toMilliseconds(),
    );

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `intervention-tracker-${stage}`,
      defaultInterval: Duration.days(7),
    });
    const allFns = functionNames.map((name) => fns[name].function);
    dashboard.addWidgets(
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
        left: this.deadLetterQueues.map((dlq) => dlq.queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' })),
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 8 }),
    );

    // ---------------------------------------------------------------- the CLI's permissions
    // What `tracker … --stage` needs (infra/cli/targets.ts), for trust IT to attach to the
    // role or group that runs it instead of using administrator credentials.
    const operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      managedPolicyName: `tracker-${stage}-operator`,
      description: `Intervention tracker (${stage}): what the tracker CLI needs (--stage ${stage})`,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadStackOutputs', actions: ['cloudformation:DescribeStacks'], resources: [this.stackId] }),
        new iam.PolicyStatement({
          sid: 'ManageWebhookSecrets',
          actions: ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          resources: [secretsArnPattern],
        }),
        new iam.PolicyStatement({
          sid: 'WebhookSecretsKeyViaSecretsManager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [secretsKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:SecretARN': secretsArnPattern },
          },
        }),
        // school add/rotate (GetItem, conditional PutItem), pupil export (Query, BatchGetItem).
        new iam.PolicyStatement({
          sid: 'TableItems',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
          resources: [table.tableArn],
        }),
        // pupil export (pupil index), republish (a week's journal on the week index).
        new iam.PolicyStatement({ sid: 'TableIndexQueries', actions: ['dynamodb:Query'], resources: [tableArnFor(byPupil.name), tableArnFor(byWeek.name)] }),
        new iam.PolicyStatement({
          sid: 'TableKeyViaDynamoDB',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [tableKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'RunRollupsAndRepublish',
          actions: ['lambda:InvokeFunction'],
          resources: [fns['rollup-school'].function.functionArn, fns['publish-stored-events'].function.functionArn],
        }),
      ],
    });
    acknowledge(operatorPolicy, `AwsSolutions-IAM5[Resource::${nagArn(this, secretsArnPattern)}]`, acknowledgementReasons.webhookSecretsPrefix);

    // ---------------------------------------------------------------- outputs
    new CfnOutput(this, outputNames.tableName, { value: table.tableName, description: 'The DynamoDB table (CLI: tracker --stage)' });
    new CfnOutput(this, outputNames.apiUrl, { value: apiUrl, description: 'Base URL of the webhook API' });
    new CfnOutput(this, outputNames.secretsPrefix, { value: secretsPrefix, description: 'Secrets Manager name prefix of webhook secrets' });
    new CfnOutput(this, outputNames.secretsKey, { value: secretsKey.keyArn, description: 'KMS key that encrypts webhook secrets' });
    new CfnOutput(this, outputNames.rollupFunction, { value: fns['rollup-school'].function.functionName, description: 'Invoked by `tracker rollup`' });
    new CfnOutput(this, outputNames.publisherFunction, { value: fns['publish-stored-events'].function.functionName, description: 'Invoked by `tracker republish`' });
    new CfnOutput(this, outputNames.eventBus, { value: bus.eventBusName });
    new CfnOutput(this, outputNames.alarmTopic, { value: alarmTopic.topicArn, description: `Alarms go here (subscribed: ${config.opsEmail})` });
    new CfnOutput(this, outputNames.dashboard, {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboardName}`,
    });
    new CfnOutput(this, outputNames.operatorPolicy, {
      value: operatorPolicy.managedPolicyArn,
      description: 'Attach to whoever runs `tracker --stage` (least privilege for the CLI)',
    });
    new CfnOutput(this, outputNames.sesIdentity, { value: emailIdentity.emailIdentityName, description: 'Verify this SES identity before go-live' });
    if (!identityIsAddress) {
      emailIdentity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'Add to DNS to verify the domain' });
      });
    }
    if (domain) {
      new CfnOutput(this, outputNames.customDomainTarget, {
        value: domain.regionalDomainName,
        description: `Point ${config.domainName} (CNAME or alias) here`,
      });
    }

  }
}

/**
 * The Scheduler's Lambda target, granted lambda:InvokeFunction on the function's own ARN
 * only (the L2 grants `<arn>:*` too, every version and alias, which the schedule never uses).
 */
class InvokeUnqualified extends LambdaInvoke {
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

/** JSON access log lines: who called what and how it went; never a request body. */
export const apiAccessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    errorMessage: '$context.error.message',
  }),
);

function pascal(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function kebab(value: string): string {
  return value
    .replace(/Alarm$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}
