import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames, type FunctionName } from '../../functions/registry';
import { asArray, defaultTemplate, deployedFunctions, refOf, resource, resourcesOf, synth, type Statement } from './support';

/** Least privilege (issue 3): each function's IAM actions, indexes, secrets and mail, the operator policy, no secret in the template. */
let template: Template;
let stage: string;
let mailFrom: string;
beforeAll(() => ({ template, stage, mailFrom } = defaultTemplate()));

const actionsOf = (statements: Statement[]) => [...new Set(statements.flatMap((statement) => asArray(statement.Action)))].sort();
const json = (value: unknown) => JSON.stringify(value);

const logsAndTracing = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const dlqSend = ['sqs:SendMessage'];
/** The paced senders drain their own queue (and send nothing to their DLQ themselves: SQS redrives). */
const queueConsume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
const tableKeyRead = ['kms:Decrypt', 'kms:DescribeKey'];
const tableKeyWrite = [...tableKeyRead, 'kms:Encrypt', 'kms:GenerateDataKey'];

/** Storing events through the webhook core: the webhook, the staff API's records and the MIS sync all do. */
const storesEvents = [
  'dynamodb:GetItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PutItem',
  // An incident's versions, to mark the weeks an amendment changes (issue 11).
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

/** The least-privilege matrix of issue 3, written out independently of infra/functions.ts. */
const expectedActions: Record<FunctionName, string[]> = {
  'ingest-events': [...storesEvents, 'secretsmanager:GetSecretValue', ...tableKeyWrite],
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
  'staff-api': ['dynamodb:BatchGetItem', ...storesEvents, ...tableKeyWrite],
  'sync-mis': [...storesEvents, 'secretsmanager:GetSecretValue', ...tableKeyWrite, ...dlqSend],
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
