import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../events/rules';
import { functionNames, type FunctionName } from '../../functions/registry';
import { stackName, stackOutputs } from '../../infra/cli/targets';
import { functionSpecs, mailPacing } from '../../infra/functions';
import { apiAccessLogFormat } from '../../infra/stack';
import { table as tableDefinition } from '../../shared/domain/table';
import { businessMetricNames } from '../../shared/ports/metrics';
import { asArray, deployedFunctions, refOf, resource, resourcesOf, synth, type Statement } from './support';

/** The template `npm run synth` produces from cdk.json's defaults (bundling skipped). */
let template: Template;
let stage: string;
let mailFrom: string;
beforeAll(() => {
  const built = synth();
  template = built.template();
  stage = built.config.stage;
  mailFrom = built.config.mailFrom;
});

const actionsOf = (statements: Statement[]) => [...new Set(statements.flatMap((statement) => asArray(statement.Action)))].sort();
const json = (value: unknown) => JSON.stringify(value);

const logsAndTracing = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const dlqSend = ['sqs:SendMessage'];
/** The paced senders drain their own queue (and send nothing to their DLQ themselves: SQS redrives). */
const queueConsume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
const tableKeyRead = ['kms:Decrypt', 'kms:DescribeKey'];
const tableKeyWrite = [...tableKeyRead, 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The least-privilege matrix of issue 3, written out independently of infra/functions.ts. */
const expectedActions: Record<FunctionName, string[]> = {
  'ingest-events': [
    'dynamodb:GetItem',
    'dynamodb:PartiQLInsert',
    'dynamodb:PutItem',
    // An incident's versions, to mark the weeks an amendment changes (issue 11).
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'secretsmanager:GetSecretValue',
    ...tableKeyWrite,
  ],
  'publish-stored-events': [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    'events:PutEvents',
    ...tableKeyRead,
    ...dlqSend,
  ],
  'notify-parents': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'ses:SendEmail', ...tableKeyWrite, ...queueConsume],
  // Query: an incident's versions, safeguarding being sticky across them (issue 11).
  'alert-dsl': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'ses:SendEmail', ...tableKeyWrite, ...queueConsume],
  'schedule-rollups': ['dynamodb:Query', 'events:PutEvents', ...tableKeyRead, ...dlqSend],
  'rollup-school': [
    'dynamodb:BatchGetItem',
    // Clears the changed-week markers it folded (issue 11).
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'events:PutEvents',
    'ses:SendEmail',
    ...tableKeyWrite,
    ...dlqSend,
  ],
  'trust-summary': ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'ses:SendEmail', ...tableKeyWrite, ...dlqSend],
  'record-mail-feedback': ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'ses:SendEmail', ...tableKeyWrite, ...dlqSend],
  'staff-api': [
    'dynamodb:BatchGetItem',
    'dynamodb:GetItem',
    'dynamodb:PartiQLInsert',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    ...tableKeyWrite,
  ],
  'sync-mis': [
    'dynamodb:GetItem',
    'dynamodb:PartiQLInsert',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'secretsmanager:GetSecretValue',
    ...tableKeyWrite,
    ...dlqSend,
  ],
  'wonde-lifecycle': ['dynamodb:Query', 'dynamodb:UpdateItem', 'secretsmanager:GetSecretValue', ...tableKeyWrite],
};

const expectedIndexes: Record<FunctionName, string[]> = {
  'ingest-events': [],
  'publish-stored-events': [],
  'notify-parents': ['gsi1'],
  'alert-dsl': [],
  'schedule-rollups': ['gsi1'],
  'rollup-school': ['gsi2'],
  'trust-summary': ['gsi1', 'gsi2'],
  'record-mail-feedback': [],
  'staff-api': ['gsi1', 'gsi2', 'gsi3'],
  'sync-mis': ['gsi1'],
  'wonde-lifecycle': ['gsi1'],
};
const misConnectorFunctions: FunctionName[] = ['sync-mis', 'wonde-lifecycle'];

describe('stack identity and outputs', () => {
  it('is named InterventionTracker-<stage>, as the CLI looks it up', () => {
    const built = synth({ stage: 'prod' });
    expect(built.stack.stackName).toBe('InterventionTracker-prod');
    expect(built.stack.stackName).toBe(stackName('prod'));
    expect(built.stack.region).toBe('eu-west-2');
  });

  it('declares every output the CLI reads (infra/cli/targets.ts)', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const key of Object.values(stackOutputs)) expect(outputs, key).toHaveProperty(key);
    expect(outputs.WebhookSecretsPrefix!.Value).toBe(`intervention-tracker/${stage}`);
    const fns = deployedFunctions(template);
    expect(refOf(outputs.RollupFunctionName!.Value)).toBe(fns['rollup-school'].logicalId);
    expect(refOf(outputs.TableName!.Value)).toBe(resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]![0]);
    expect(refOf(outputs.WebhookSecretsKeyArn!.Value)).toBe(
      refOf(fns['ingest-events'].statements.find((s) => s.Sid === 'DecryptWebhookSecretsViaSecretsManager')!.Resource),
    );
  });
});

describe('table', () => {
  it('is built from shared/domain/table.ts: keys, both GSIs, TTL', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    const props = tables[0]![1].Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ]);
    const indexes = Object.values(tableDefinition.indexes);
    expect(props.GlobalSecondaryIndexes).toEqual(
      indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true });
  });

  it('is on-demand, KMS-encrypted with a rotating customer key, PITR, protected and retained, streaming new images', () => {
    const [logicalId, table] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!;
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const replica = table.Properties.Replicas[0];
    expect(replica.Region).toBe('eu-west-2');
    expect(replica.DeletionProtectionEnabled).toBe(true);
    expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const key = resource(template, refOf(replica.SSESpecification.KMSMasterKeyId)!);
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(logicalId).toMatch(/^Table/);
  });
});

describe('functions', () => {
  it('deploys exactly the functions in functions/registry.ts', () => {
    const fns = deployedFunctions(template);
    expect(Object.keys(fns).sort()).toEqual([...functionNames].sort());
  });

  it.each(functionNames)('%s: Node.js 24 on arm64, ESM handler, X-Ray, own log group with retention, Powertools env', (name) => {
    const { properties: fn } = deployedFunctions(template)[name];
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Timeout).toBe(functionSpecs[name].timeoutSeconds);
    expect(fn.MemorySize).toBe(functionSpecs[name].memoryMb);
    const logGroup = resource(template, refOf(fn.LoggingConfig.LogGroup)!);
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    expect(fn.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: `InterventionTracker/${stage}`,
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('gives each function only the environment variables it reads', () => {
    const fns = deployedFunctions(template);
    const appEnv = (name: FunctionName) =>
      Object.keys(fns[name].properties.Environment.Variables)
        .filter((key) => !key.startsWith('POWERTOOLS_') && key !== 'NODE_OPTIONS')
        .sort();
    expect(appEnv('ingest-events')).toEqual(['SECRETS_PREFIX', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME']);
    expect(appEnv('publish-stored-events')).toEqual(['EVENT_BUS_NAME']);
    expect(appEnv('notify-parents')).toEqual(['MAIL_FROM', 'SES_CONFIGURATION_SET', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME']);
    expect(appEnv('alert-dsl')).toEqual(['MAIL_FROM', 'SES_CONFIGURATION_SET', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME']);
    expect(appEnv('schedule-rollups')).toEqual(['EVENT_BUS_NAME', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME']);
    expect(appEnv('rollup-school')).toEqual(['EVENT_BUS_NAME', 'MAIL_FROM', 'SES_CONFIGURATION_SET', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME', 'TRUST_NAME']);
    expect(appEnv('trust-summary')).toEqual(['MAIL_FROM', 'SES_CONFIGURATION_SET', 'STORAGE_TIMEOUT_MS', 'TABLE_NAME', 'TRUST_LEADERS', 'TRUST_NAME']);
    const summary = fns['trust-summary'].properties.Environment.Variables;
    expect(summary.TRUST_LEADERS).toBe('ceo@example.org');
    expect(summary.TRUST_NAME).toBe('Example Academy Trust');
    expect(summary.MAIL_FROM).toBe(mailFrom);
    expect(fns['ingest-events'].properties.Environment.Variables.SECRETS_PREFIX).toBe(`intervention-tracker/${stage}`);
    // Three bounded attempts end 3 s before the webhook's 25 s timeout.
    expect(fns['ingest-events'].properties.Environment.Variables.STORAGE_TIMEOUT_MS).toBe('7333');
  });

  it('joins several trust leaders with commas (TRUST_LEADERS)', () => {
    const t = synth({ trustLeaders: 'ceo@example.org, coo@example.org' }).template();
    expect(deployedFunctions(t)['trust-summary'].properties.Environment.Variables.TRUST_LEADERS).toBe('ceo@example.org,coo@example.org');
  });
});

describe('least privilege', () => {
  it.each(functionNames)('%s holds exactly the actions it needs', (name) => {
    const { statements } = deployedFunctions(template)[name];
    expect(actionsOf(statements)).toEqual([...new Set([...logsAndTracing, ...expectedActions[name]])].sort());
  });

  it('no IAM policy has a wildcard action, and only X-Ray has Resource "*"', () => {
    const statements = [...resourcesOf(template, 'AWS::IAM::Policy'), ...resourcesOf(template, 'AWS::IAM::ManagedPolicy')].flatMap(
      ([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.length).toBeGreaterThan(20);
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) expect(action, json(statement)).not.toContain('*');
      if (asArray(statement.Resource).includes('*')) {
        expect(
          asArray(statement.Action).every((action) => action.startsWith('xray:')),
          json(statement),
        ).toBe(true);
      }
      expect(statement.Effect).toBe('Allow');
    }
    // Roles carry no managed policies (AWSLambdaBasicExecutionRole would grant logs on every group).
    for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('nothing may Scan the table', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/dynamodb:Scan/i);
  });

  it.each(functionNames)('%s: table actions on the table, Query only on its own indexes, the key only via DynamoDB', (name) => {
    const { statements } = deployedFunctions(template)[name];
    const [tableId] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable')[0]!;
    const items = statements.find((s) => s.Sid === 'TableItems');
    const indexQueries = statements.find((s) => s.Sid === 'TableIndexQueries');
    if (name === 'publish-stored-events') {
      expect(items).toBeUndefined();
      const stream = statements.find((s) => asArray(s.Action).includes('dynamodb:GetRecords'))!;
      expect(stream.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
      return;
    }
    // A function that only queries indexes holds no item actions on the table at all.
    if (name === 'schedule-rollups') expect(items).toBeUndefined();
    else expect(items!.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
    const indexArns = asArray(indexQueries?.Resource).map((arn) => json(arn));
    expect(indexArns).toEqual(expectedIndexes[name].map((index) => json({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, `/index/${index}`]] })));
    if (indexQueries) expect(indexQueries.Action).toBe('dynamodb:Query');
    const key = statements.find((s) => s.Sid === 'TableKeyViaDynamoDB')!;
    expect(key.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-2.amazonaws.com' } });
  });

  it('only ingest-events reads webhook secrets: its prefix only, decrypting only through Secrets Manager', () => {
    const fns = deployedFunctions(template);
    const secretArn = { 'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-2:', { Ref: 'AWS::AccountId' }, `:secret:intervention-tracker/${stage}/*`]] };
    const ingest = fns['ingest-events'].statements;
    expect(ingest.find((s) => s.Action === 'secretsmanager:GetSecretValue')!.Resource).toEqual(secretArn);
    const decrypt = ingest.find((s) => s.Sid === 'DecryptWebhookSecretsViaSecretsManager')!;
    expect(decrypt.Action).toBe('kms:Decrypt');
    expect(decrypt.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:SecretARN': secretArn },
    });
    const key = resource(template, refOf(decrypt.Resource)!);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    for (const name of functionNames.filter((n) => n !== 'ingest-events')) {
      expect(json(fns[name].statements), name).not.toContain(`intervention-tracker/${stage}/*`);
      if (!misConnectorFunctions.includes(name)) expect(json(fns[name].statements), name).not.toContain('secretsmanager');
      if (!misConnectorFunctions.includes(name)) expect(json(fns[name].statements), name).not.toContain(refOf(decrypt.Resource));
    }
  });

  it('only the MIS connector reads Wonde tokens: their own prefix, decrypting only through Secrets Manager', () => {
    const fns = deployedFunctions(template);
    const tokenArn = { 'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-2:', { Ref: 'AWS::AccountId' }, `:secret:intervention-tracker-mis/${stage}/*`]] };
    for (const name of misConnectorFunctions) {
      const statements = fns[name].statements;
      expect(statements.find((s) => s.Sid === 'ReadMisTokens')!.Resource, name).toEqual(tokenArn);
      expect(statements.find((s) => s.Sid === 'DecryptMisTokensViaSecretsManager')!.Condition, name).toEqual({
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:SecretARN': tokenArn },
      });
    }
    for (const name of functionNames.filter((n) => !misConnectorFunctions.includes(n))) {
      expect(json(fns[name].statements), name).not.toContain('intervention-tracker-mis');
    }
  });

  it('syncs every 15 minutes through the schedule, and serves the Wonde lifecycle route', () => {
    const fns = deployedFunctions(template);
    const schedule = resourcesOf(template, 'AWS::Scheduler::Schedule').find(([, s]) => s.Properties.ScheduleExpression === 'rate(15 minutes)');
    expect(schedule, 'mis sync schedule').toBeDefined();
    expect(json(schedule![1].Properties.Target.Arn)).toContain(fns['sync-mis'].logicalId);
    expect(schedule![1].Properties.Target.DeadLetterConfig).toBeDefined();
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey)).toContain('POST /v1/mis/wonde/{key}');
  });

  it('the senders may SendEmail only as MAIL_FROM, with the stack identity and configuration set', () => {
    const fns = deployedFunctions(template);
    const [identityId] = resourcesOf(template, 'AWS::SES::EmailIdentity')[0]!;
    const [configSetId] = resourcesOf(template, 'AWS::SES::ConfigurationSet')[0]!;
    const senders: FunctionName[] = ['notify-parents', 'alert-dsl', 'rollup-school', 'trust-summary', 'record-mail-feedback'];
    for (const name of functionNames) {
      const send = fns[name].statements.filter((s) => asArray(s.Action).includes('ses:SendEmail'));
      if (!senders.includes(name)) {
        expect(send, name).toEqual([]);
        continue;
      }
      expect(send, name).toHaveLength(1);
      expect(send[0]!.Action).toBe('ses:SendEmail');
      expect(send[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': mailFrom } });
      const resources = json(send[0]!.Resource);
      expect(asArray(send[0]!.Resource)).toHaveLength(2);
      expect(resources).toContain(json([':identity/', { Ref: identityId }]).slice(1, -1));
      expect(resources).toContain(json([':configuration-set/', { Ref: configSetId }]).slice(1, -1));
    }
  });

  it('names verified sandbox recipients in the send permission only when configured', () => {
    const t = synth({ sesSandboxRecipients: 'tester@example.org' }).template();
    const send = deployedFunctions(t)['notify-parents'].statements.find((s) => s.Sid === 'SendWithTheTrackerIdentityOnly')!;
    expect(asArray(send.Resource)).toHaveLength(3);
    expect(json(send.Resource)).toContain(':identity/tester@example.org');
  });
});

describe('operator policy (the CLI, run by trust IT)', () => {
  it("grants exactly what `tracker --stage` uses, on this stack's resources only", () => {
    const policies = resourcesOf(template, 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0]!;
    expect(policy.Properties.Roles ?? policy.Properties.Users ?? policy.Properties.Groups).toBeUndefined();
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    expect(actionsOf(statements)).toEqual(
      [
        'cloudformation:DescribeStacks',
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'lambda:InvokeFunction',
        'secretsmanager:CreateSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
      ].sort(),
    );
    const byId = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(byId.ReadStackOutputs!.Resource).toEqual({ Ref: 'AWS::StackId' });
    expect(byId.RunRollupsAndRepublish!.Resource.map(refOf).sort()).toEqual(
      [deployedFunctions(template)['rollup-school'].logicalId, deployedFunctions(template)['publish-stored-events'].logicalId].sort(),
    );
    expect(json(byId.ManageWebhookSecrets!.Resource)).toContain(`:secret:intervention-tracker/${stage}/*`);
    expect(byId.WebhookSecretsKeyViaSecretsManager!.Condition!.StringEquals).toEqual({ 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' });
    expect(template.toJSON().Outputs.OperatorPolicyArn.Value).toEqual({ Ref: policies[0]![0] });
  });
});

describe('secrets', () => {
  it('the template holds no secret: no Secrets Manager secret, no SecretString, no 64-hex value', () => {
    const copy = structuredClone(template.toJSON()) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: unknown }>;
    };
    // Asset hashes (function code locations, metadata) are the only 64-hex strings CDK writes.
    for (const r of Object.values(copy.Resources)) {
      delete r.Metadata;
      if (r.Type === 'AWS::Lambda::Function') delete r.Properties!.Code;
    }
    const text = JSON.stringify(copy);
    expect(resourcesOf(template, 'AWS::SecretsManager::Secret')).toEqual([]);
    expect(text).not.toMatch(/SecretString/i);
    expect(text).not.toMatch(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/i);
    expect(text).not.toMatch(/webhookSecret|"current"\s*:/);
  });
});

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

describe('webhook API', () => {
  it('is an HTTP API with the contract route, proxied to ingest-events (payload 2.0), no authorizer', () => {
    const fns = deployedFunctions(template);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    // The staff routes (test/infra/staff-access.test.ts) all have the JWT authorizer.
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.AuthorizationType !== 'JWT');
    expect(routes.map(([, r]) => r.Properties.RouteKey)).toEqual(['POST /v1/schools/{schoolId}/events', 'POST /v1/mis/wonde/{key}']);
    expect(routes[0]![1].Properties.AuthorizationType).toBe('NONE');
    const integration = resource(template, String(routes[0]![1].Properties.Target['Fn::Join'][1][1].Ref));
    expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(refOf(integration.Properties.IntegrationUri)).toBe(fns['ingest-events'].logicalId);
  });

  it('throttles the default route and writes JSON access logs (no bodies) to a log group with retention', () => {
    const stages = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const props = stages[0]![1].Properties;
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 });
    const format = JSON.parse(props.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    expect(Object.values(format).join(' ')).not.toMatch(/body|requestBody|responseBody/i);
    expect(props.AccessLogSettings.Format).toBe(apiAccessLogFormat.toString());
    const logGroup = resource(template, refOf(props.AccessLogSettings.DestinationArn)!);
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  it('uses the throttling limits from context', () => {
    const t = synth({ apiRateLimit: '5', apiBurstLimit: '10' }).template();
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 } });
  });

  it('has no custom domain unless configured', () => {
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::DomainName')).toEqual([]);
    expect(template.toJSON().Outputs).not.toHaveProperty('CustomDomainTarget');
  });

  it('maps an optional custom domain (TLS 1.2) and reports it as ApiUrl', () => {
    const certificateArn = 'arn:aws:acm:eu-west-2:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
    const t = synth({ domainName: 'tracker.example.org', certificateArn }).template();
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'tracker.example.org',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn, SecurityPolicy: 'TLS_1_2' })],
    });
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const outputs = t.toJSON().Outputs;
    expect(outputs.ApiUrl.Value).toBe('https://tracker.example.org/');
    expect(outputs).toHaveProperty('CustomDomainTarget');
  });
});

describe('email', () => {
  it('a domain identity with the configuration set (TLS required, bounces and complaints suppressed)', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.org' });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    expect(template.toJSON().Outputs).toHaveProperty('DkimRecord1');
  });

  it('the configuration set sends bounces, complaints, rejects and delays to the default bus', () => {
    const [, destination] = resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination')[0]!;
    expect(destination.Properties.EventDestination.MatchingEventTypes).toEqual(['bounce', 'complaint', 'reject', 'deliveryDelay']);
    expect(json(destination.Properties.EventDestination.EventBridgeDestination.EventBusArn)).toContain(':event-bus/default');
    expect(refOf(destination.Properties.ConfigurationSetName)).toBe(resourcesOf(template, 'AWS::SES::ConfigurationSet')[0]![0]);
  });

  it('an address identity when sesIdentity is an email address', () => {
    const t = synth({ sesIdentity: 'tracker@example.org', mailFrom: 'tracker@example.org' }).template();
    t.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'tracker@example.org' });
    expect(t.toJSON().Outputs).not.toHaveProperty('DkimRecord1');
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
