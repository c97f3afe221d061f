import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames, type FunctionName } from '../../functions/registry';
import { stackName, stackOutputs } from '../../infra/cli/targets';
import { functionSpecs } from '../../infra/functions';
import { apiAccessLogFormat } from '../../infra/stack';
import { table as tableDefinition } from '../../shared/domain/table';
import { defaultTemplate, deployedFunctions, refOf, resource, resourcesOf, synth } from './support';

/**
 * What the stack is made of: its name and outputs, the table, the functions, the webhook API and
 * email. Permissions are in least-privilege.test.ts; the event fan-out, queues and alarms in
 * fan-out-and-alarms.test.ts.
 */
let template: Template;
let stage: string;
let mailFrom: string;
beforeAll(() => ({ template, stage, mailFrom } = defaultTemplate()));

const json = (value: unknown) => JSON.stringify(value);

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
