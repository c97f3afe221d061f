import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionNames, type FunctionName } from '../../functions/registry';
import { createTrackerApp } from '../../infra/tracker-app';
import { cdkJson } from '../infra/support';

/**
 * The deployed wiring, read from the synthesised template exactly as CloudFormation would
 * deploy it: each function's bundle (built by esbuild as `cdk synth` builds it), its
 * environment variables and its IAM policy, with every intrinsic resolved to the names the
 * stand-in account uses.
 */

export const account = '111122223333';
export const region = 'eu-west-2';

type Json = any;

export interface PolicyStatement {
  sid?: string;
  actions: string[];
  resources: string[];
  conditions: Record<string, Record<string, string | string[]>>;
}

export interface DeployedFunction {
  name: FunctionName;
  logicalId: string;
  /** Directory of the bundled asset (index.mjs). */
  assetDir: string;
  handler: string;
  environment: Record<string, string>;
  policy: PolicyStatement[];
  timeoutSeconds: number;
}

export interface DeployedTemplate {
  functions: Record<FunctionName, DeployedFunction>;
  /** Physical name of the (one) DynamoDB table. */
  tableName: string;
  /** Resolves any template value (for tests that read schedules, rules…). */
  resolve(value: Json): Json;
  resources: Record<string, Json>;
}

/** Physical names: what `Ref` answers in the stand-in account. */
function physicalName(logicalId: string, resource: Json): string {
  const props = resource.Properties ?? {};
  return (
    props.TableName ??
    props.EmailIdentity ??
    props.Name ??
    props.FunctionName ??
    props.ConfigurationSetName ??
    props.QueueName ??
    props.TopicName ??
    `${logicalId.toLowerCase()}-physical`
  );
}

function arnOf(logicalId: string, resource: Json): string {
  const name = physicalName(logicalId, resource);
  const base = (service: string, rest: string) => `arn:aws:${service}:${region}:${account}:${rest}`;
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return base('dynamodb', `table/${name}`);
    case 'AWS::Events::EventBus':
      return base('events', `event-bus/${name}`);
    case 'AWS::KMS::Key':
      return base('kms', `key/${logicalId}`);
    case 'AWS::Lambda::Function':
      return base('lambda', `function:${name}`);
    case 'AWS::SQS::Queue':
      return base('sqs', name);
    case 'AWS::SNS::Topic':
      return base('sns', name);
    case 'AWS::Logs::LogGroup':
      return base('logs', `log-group:${logicalId}:*`);
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${account}:role/${logicalId}`;
    case 'AWS::SES::ConfigurationSet':
      return base('ses', `configuration-set/${name}`);
    default:
      return base('unknown', `${resource.Type}/${logicalId}`);
  }
}

function attributeOf(logicalId: string, resource: Json, attribute: string): string {
  if (attribute === 'Arn') return arnOf(logicalId, resource);
  if (attribute === 'StreamArn') return `${arnOf(logicalId, resource)}/stream/2026-01-01T00:00:00.000`;
  if (attribute === 'QueueName' || attribute === 'Name') return physicalName(logicalId, resource);
  if (attribute === 'QueueUrl') return `https://sqs.${region}.amazonaws.com/${account}/${physicalName(logicalId, resource)}`;
  return `${logicalId}.${attribute}`;
}

const pseudo: Record<string, string> = {
  'AWS::Region': region,
  'AWS::AccountId': account,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'InterventionTracker-wiring',
};

function resolver(resources: Record<string, Json>) {
  const ref = (name: string) => pseudo[name] ?? physicalName(name, resources[name] ?? {});
  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const [key] = Object.keys(value);
    const arg = value[key!];
    switch (key) {
      case 'Ref':
        return ref(arg);
      case 'Fn::GetAtt':
        return attributeOf(arg[0], resources[arg[0]], arg[1]);
      case 'Fn::Join':
        return (resolve(arg[1]) as string[]).join(arg[0]);
      case 'Fn::Select':
        return resolve(arg[1])[Number(arg[0])];
      case 'Fn::Split':
        return (resolve(arg[1]) as string).split(arg[0]);
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return (text as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (vars[name] !== undefined) return resolve(vars[name]);
          const [id, attribute] = name.split('.');
          return attribute ? attributeOf(id!, resources[id!], attribute) : ref(name);
        });
      }
      default:
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
  };
  return resolve;
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOf(document: Json): PolicyStatement[] {
  return asArray(document.Statement)
    .filter((statement: Json) => statement.Effect === 'Allow')
    .map((statement: Json) => ({
      sid: statement.Sid,
      actions: asArray(statement.Action),
      resources: asArray(statement.Resource),
      conditions: statement.Condition ?? {},
    }));
}

/** Synthesises the app as `cdk synth` does, with real bundling, and reads every function back. */
export function synthDeployedTemplate(context: Record<string, unknown> = {}): DeployedTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'tracker-wiring-'));
  const { app, stack, config } = createTrackerApp({
    outdir,
    nag: false,
    context: { ...cdkJson().context, 'aws:cdk:enable-asset-metadata': true, ...context },
  });
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as Json;
  const resources = template.Resources as Record<string, Json>;
  const resolve = resolver(resources);

  const policiesByRole = new Map<string, PolicyStatement[]>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    for (const role of asArray(resource.Properties.Roles) as Json[]) {
      const list = policiesByRole.get(role.Ref) ?? [];
      list.push(...statementsOf(resolve(resource.Properties.PolicyDocument)));
      policiesByRole.set(role.Ref, list);
    }
  }

  const functions = {} as Record<FunctionName, DeployedFunction>;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = functionNames.find((candidate) => resource.Properties.FunctionName === `tracker-${config.stage}-${candidate}`);
    if (!name) continue;
    const roleId = resource.Properties.Role['Fn::GetAtt'][0] as string;
    const role = resources[roleId];
    const inline = asArray(role.Properties.Policies).flatMap((policy: Json) => statementsOf(resolve(policy.PolicyDocument)));
    if (asArray(role.Properties.ManagedPolicyArns).length) throw new Error(`${name}: managed policies are not expected`);
    functions[name] = {
      name,
      logicalId,
      assetDir: join(outdir, resource.Metadata['aws:asset:path']),
      handler: resource.Properties.Handler,
      environment: resolve(resource.Properties.Environment?.Variables ?? {}),
      policy: [...inline, ...(policiesByRole.get(roleId) ?? [])],
      timeoutSeconds: resource.Properties.Timeout,
    };
  }
  const missing = functionNames.filter((name) => !functions[name]);
  if (missing.length) throw new Error(`functions missing from the template: ${missing.join(', ')}`);

  const tables = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table' || resource.Type === 'AWS::DynamoDB::GlobalTable');
  if (tables.length !== 1) throw new Error(`expected one table, found ${tables.length}`);
  const [tableId, tableResource] = tables[0]!;
  return { functions, tableName: physicalName(tableId, tableResource), resolve, resources };
}
