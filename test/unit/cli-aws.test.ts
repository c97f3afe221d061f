import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, stackOutputs, stageTarget } from '../../infra/cli/targets';
import { SecretsManagerSecretStore, webhookSecretName } from '../../shared/adapters/aws/secrets-manager';
import { addSchool, rotateSecret } from '../../shared/services/schools';

/**
 * The CLI's deployed-stage path (`tracker … --stage NAME`) against mocked AWS clients:
 * stack outputs from CloudFormation, webhook secrets in Secrets Manager, the table through
 * the DynamoDB document client, and the rollup through Lambda Invoke.
 */

const cloudFormation = mockClient(CloudFormationClient);
const secretsManager = mockClient(SecretsManagerClient);
const lambda = mockClient(LambdaClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const keyArn = 'arn:aws:kms:eu-west-2:123456789012:key/1111-2222';
const outputs: Record<string, string> = {
  [stackOutputs.tableName]: 'InterventionTracker-prod-Table-ABC',
  [stackOutputs.apiUrl]: 'https://abc123.execute-api.eu-west-2.amazonaws.com/',
  [stackOutputs.secretsPrefix]: 'intervention-tracker/prod',
  [stackOutputs.secretsKey]: keyArn,
  [stackOutputs.rollupFunction]: 'tracker-prod-rollup-school',
  [stackOutputs.scheduledTimezones]: 'Europe/London,Europe/Dublin',
};
const stackOutputList = (values: Record<string, string>): Output[] => Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue }));

function deployedStack(values: Record<string, string> = outputs) {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'InterventionTracker-prod', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: stackOutputList(values) }],
  });
}

const secretString = (value: unknown) => JSON.stringify(value);
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

beforeEach(() => {
  cloudFormation.reset();
  secretsManager.reset();
  lambda.reset();
  dynamo.reset();
});
afterEach(() => {
  delete process.env.AWS_REGION;
});

describe('stageTarget: stack outputs via CloudFormation', () => {
  it('describes InterventionTracker-<stage> and builds the target from its outputs', async () => {
    deployedStack();
    const target = await stageTarget('prod', 'eu-west-2');
    expect(cloudFormation.commandCalls(DescribeStacksCommand, { StackName: 'InterventionTracker-prod' })).toHaveLength(1);
    expect(target.table.tableName).toBe(outputs.TableName);
    expect(target.description).toBe('stage prod (InterventionTracker-prod, eu-west-2)');
    // The trailing slash of ApiUrl is not doubled.
    expect(target.webhookUrl('oak-primary')).toBe('https://abc123.execute-api.eu-west-2.amazonaws.com/v1/schools/oak-primary/events');
  });

  it('asks CloudFormation in the given region, else AWS_REGION, else eu-west-2', async () => {
    deployedStack();
    await stageTarget('prod', 'eu-west-1');
    process.env.AWS_REGION = 'eu-central-1';
    await stageTarget('prod');
    delete process.env.AWS_REGION;
    await stageTarget('prod');
    const regions = await Promise.all(
      cloudFormation.commandCalls(DescribeStacksCommand).map((call) => (call.thisValue as CloudFormationClient).config.region()),
    );
    expect(regions).toEqual(['eu-west-1', 'eu-central-1', 'eu-west-2']);
  });

  // Read when a command needs them: invoked functions, the staff pool and app bucket (tracker staff …, app publish).
  const lazyOutputs: string[] = [
    stackOutputs.rollupFunction,
    stackOutputs.publisherFunction,
    stackOutputs.syncFunction,
    stackOutputs.staffUserPoolId,
    stackOutputs.staffUserPoolClientId,
    stackOutputs.staffAppBucket,
    stackOutputs.staffAppUrl,
  ];
  const eagerOutputs = Object.values(stackOutputs).filter((key) => !lazyOutputs.includes(key));
  it.each(eagerOutputs)('a stack without the %s output is a clear CliError', async (missing) => {
    const { [missing]: _dropped, ...rest } = outputs;
    deployedStack(rest);
    const attempt = stageTarget('prod', 'eu-west-2');
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await expect(attempt).rejects.toThrow(`stack InterventionTracker-prod has no output ${missing}: deploy the current version first`);
  });

  it('RollupFunctionName is only needed to invoke: a clear CliError then, and nothing invoked', async () => {
    const { [stackOutputs.rollupFunction]: _dropped, ...rest } = outputs;
    deployedStack(rest);
    const target = await stageTarget('prod', 'eu-west-2');
    const attempt = target.invoke('rollup-school', {});
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await expect(attempt).rejects.toThrow('stack InterventionTracker-prod has no output RollupFunctionName: deploy the current version first');
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('a stage that was never deployed is a clear CliError naming the stack and region', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id InterventionTracker-test does not exist',
      }),
    );
    const attempt = stageTarget('test', 'eu-west-2');
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await expect(attempt).rejects.toThrow('cannot read stack InterventionTracker-test in eu-west-2: Stack with id InterventionTracker-test does not exist');
  });

  it('an empty DescribeStacks answer is reported as missing outputs, not a crash', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
    await expect(stageTarget('prod', 'eu-west-2')).rejects.toThrow(CliError);
  });
});

describe('SecretsManagerSecretStore', () => {
  const store = () => new SecretsManagerSecretStore(new SecretsManagerClient({ region: 'eu-west-2' }), 'intervention-tracker/prod', keyArn);

  it('names secrets <prefix>/<schoolId>/webhook, inside the prefix the stack grants', () => {
    expect(webhookSecretName('intervention-tracker/prod', 'oak-primary')).toBe('intervention-tracker/prod/oak-primary/webhook');
  });

  it('create: one CreateSecret with the stack key, true when new', async () => {
    secretsManager.on(CreateSecretCommand).resolves({ Name: 'intervention-tracker/prod/oak-primary/webhook' });
    await expect(store().create('oak-primary', { current: 'a'.repeat(64) })).resolves.toBe(true);
    const [call] = secretsManager.commandCalls(CreateSecretCommand);
    expect(call!.args[0].input).toEqual({
      Name: 'intervention-tracker/prod/oak-primary/webhook',
      Description: 'Webhook signing secrets of school oak-primary',
      KmsKeyId: keyArn,
      SecretString: secretString({ current: 'a'.repeat(64) }),
    });
  });

  it('create: false when the secret exists (the school id is taken), nothing else is sent', async () => {
    secretsManager.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    await expect(store().create('oak-primary', { current: 'b'.repeat(64) })).resolves.toBe(false);
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('create: any other failure propagates', async () => {
    secretsManager.on(CreateSecretCommand).rejects(new Error('AccessDeniedException: not allowed'));
    await expect(store().create('oak-primary', { current: 'c'.repeat(64) })).rejects.toThrow('not allowed');
  });

  it('replace: PutSecretValue on the same name', async () => {
    secretsManager.on(PutSecretValueCommand).resolves({});
    const rotated = { current: 'd'.repeat(64), previous: 'c'.repeat(64), previousValidUntil: '2026-11-24T08:00:00.000Z' };
    await store().replace('oak-primary', rotated);
    expect(secretsManager.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: 'intervention-tracker/prod/oak-primary/webhook',
      SecretString: secretString(rotated),
    });
  });

  it('get: parses the stored secrets; an unknown school is undefined', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'intervention-tracker/prod/oak-primary/webhook' })
      .resolves({ SecretString: secretString({ current: 'e'.repeat(64) }) })
      .on(GetSecretValueCommand, { SecretId: 'intervention-tracker/prod/nobody/webhook' })
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(store().get('oak-primary')).resolves.toEqual({ current: 'e'.repeat(64) });
    await expect(store().get('nobody')).resolves.toBeUndefined();
  });

  it('get: other failures (e.g. KMS access denied) propagate rather than looking like an unknown school', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException: kms:Decrypt'));
    await expect(store().get('oak-primary')).rejects.toThrow('kms:Decrypt');
  });
});

describe('school commands on a deployed stage', () => {
  const clock = { now: () => new Date('2026-11-23T08:00:00Z') };

  it('school add: the secret in Secrets Manager (stack key), the profile in the stack table', async () => {
    deployedStack();
    secretsManager.on(CreateSecretCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const target = await stageTarget('prod', 'eu-west-2');
    const { webhookSecret } = await addSchool({ schoolId: 'oak-primary', name: 'Oak Primary', leaders: ['head@oak.sch.uk'] }, { ...target, clock });
    expect(webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    const created = secretsManager.commandCalls(CreateSecretCommand)[0]!.args[0].input;
    expect(created).toMatchObject({ Name: 'intervention-tracker/prod/oak-primary/webhook', KmsKeyId: keyArn });
    expect(JSON.parse(created.SecretString!)).toEqual({ current: webhookSecret });
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.TableName).toBe(outputs.TableName);
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(JSON.stringify(put.Item)).not.toContain(webhookSecret);
  });

  it('school add refuses a timezone the stack does not schedule, before creating anything', async () => {
    deployedStack();
    const target = await stageTarget('prod', 'eu-west-2');
    expect(target.scheduledTimezones).toEqual(['Europe/London', 'Europe/Dublin']);
    const attempt = addSchool({ schoolId: 'lisbon', name: 'Escola', leaders: ['head@escola.pt'], timezone: 'Europe/Lisbon' }, { ...target, clock });
    await expect(attempt).rejects.toThrow(
      'timezone Europe/Lisbon has no weekly rollup schedule in this stack (it schedules Europe/London, Europe/Dublin): deploy with -c schoolTimezones=Europe/London,Europe/Dublin,Europe/Lisbon first',
    );
    expect(secretsManager.commandCalls(CreateSecretCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('school rotate-secret: keeps the old secret as previous for 24 hours', async () => {
    deployedStack();
    dynamo.on(GetCommand).resolves({ Item: { schoolId: 'oak-primary', name: 'Oak Primary', leaders: [], timezone: 'Europe/London', createdAt: 'x' } });
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: secretString({ current: 'f'.repeat(64) }) });
    secretsManager.on(PutSecretValueCommand).resolves({});
    const target = await stageTarget('prod', 'eu-west-2');
    const rotated = await rotateSecret('oak-primary', { ...target, clock });
    const stored = JSON.parse(secretsManager.commandCalls(PutSecretValueCommand)[0]!.args[0].input.SecretString!);
    expect(stored).toEqual({ current: rotated.webhookSecret, previous: 'f'.repeat(64), previousValidUntil: '2026-11-24T08:00:00.000Z' });
  });
});

describe('invoke (tracker rollup) through Lambda', () => {
  const request = { source: 'tracker.rollups', 'detail-type': 'rollup.requested', detail: { schoolId: 'oak-primary', week: '2026-W47', sendEmail: true } };

  it('invokes the RollupFunctionName output with the JSON payload and returns the parsed answer', async () => {
    deployedStack();
    const figures = { schoolId: 'oak-primary', week: '2026-W47', attendance: { possibleSessions: 10, absentSessions: 1, rate: 0.9 } };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode(figures) as never });
    const target = await stageTarget('prod', 'eu-west-2');
    await expect(target.invoke('rollup-school', request)).resolves.toEqual(figures);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe('tracker-prod-rollup-school');
    expect(input.InvocationType).toBeUndefined(); // RequestResponse: the CLI waits for the figures
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual(request);
  });

  it("a function error is a CliError carrying the function's error message", async () => {
    deployedStack();
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encode({ errorMessage: 'no school oak-primary' }) as never });
    const target = await stageTarget('prod', 'eu-west-2');
    const attempt = target.invoke('rollup-school', request);
    await expect(attempt).rejects.toBeInstanceOf(CliError);
    await expect(attempt).rejects.toThrow('rollup-school failed: no school oak-primary');
  });
});
