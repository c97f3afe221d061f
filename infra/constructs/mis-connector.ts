import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { functionNames, type FunctionName } from '../../functions/registry';
import { misAlertLogMessage } from '../../shared/adapters/aws/operator-alerts';
import { misSecretsPrefix } from '../../shared/adapters/aws/secrets-manager-mis-tokens';
import { wondeDefaultBaseUrl } from '../../shared/adapters/wonde/wonde-source';
import { outputNames } from '../outputs';
import { functionSpecs } from '../functions';
import { acknowledge, nagArn } from '../nag';
import type { TrackerFunction } from './tracker-function';

/** Every 15 minutes (contract section 9). */
export const misSyncSchedule = 'rate(15 minutes)';
export const misWebhookPath = '/v1/mis/wonde/{key}';

/** The connector's environment values (infra/functions.ts EnvName); `-c wondeBaseUrl=` overrides Wonde's URL. */
export function misConnectorEnvironment(scope: Construct, stage: string) {
  return {
    MIS_SECRETS_PREFIX: misSecretsPrefix(stage),
    WONDE_BASE_URL: (scope.node.tryGetContext('wondeBaseUrl') as string | undefined) ?? wondeDefaultBaseUrl,
  };
}

export interface MisConnectorProps {
  stage: string;
  functions: Record<FunctionName, TrackerFunction>;
  /** The key that encrypts the stage's secrets (the CLI creates tokens with it). */
  secretsKey: kms.IKey;
  httpApi: apigw.HttpApi;
  scheduleGroup: scheduler.IScheduleGroup;
  /** The stack's Lambda schedule target (its retries, age limit and dead-letter queue). */
  scheduleTarget: (fn: lambda.IFunction) => scheduler.IScheduleTarget;
  /** The stack's alarm factory: notifies the ops topic. */
  alarm: (id: string, metric: cloudwatch.IMetric, description: string) => unknown;
}

/**
 * The Wonde connector's AWS parts (docs/mis-connector.md): token read rights, the 15-minute
 * schedule, the lifecycle route, and the alarm that turns the connector's operator alert log
 * line into an email to ops. The functions themselves come from infra/functions.ts.
 */
export class MisConnector extends Construct {
  constructor(scope: Construct, id: string, props: MisConnectorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = misSecretsPrefix(props.stage);
    const secretsArn = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${prefix}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    for (const name of functionNames.filter((n) => functionSpecs[n].readsMisSecrets)) {
      const { role } = props.functions[name];
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadMisTokens', actions: ['secretsmanager:GetSecretValue'], resources: [secretsArn] }));
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptMisTokensViaSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.secretsKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:SecretARN': secretsArn },
          },
        }),
      );
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${nagArn(stack, secretsArn)}]`,
        "Wonde tokens are stored per school by `tracker school connect` after deployment, so their names are unknown at synth; access is GetSecretValue on this stage's MIS prefix only, apart from the webhook secrets.",
      );
    }

    const sync = props.functions['sync-mis'];
    new scheduler.Schedule(this, 'Sync', {
      scheduleName: `mis-sync-${props.stage}`.slice(0, 64),
      scheduleGroup: props.scheduleGroup,
      description: 'MIS connector: sync every connected school from Wonde',
      schedule: scheduler.ScheduleExpression.expression(misSyncSchedule),
      target: props.scheduleTarget(sync.function),
    });

    const [route] = props.httpApi.addRoutes({
      path: misWebhookPath,
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('WondeLifecycle', props.functions['wonde-lifecycle'].function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    acknowledge(
      route!,
      'AwsSolutions-APIG4',
      "Wonde's access webhooks carry no signature; the URL's shared key (compared in constant time in wonde-lifecycle) is the only check Wonde allows, and the route can only move an existing connection between connected and revoked.",
    );

    const metric = { metricNamespace: `InterventionTracker/${props.stage}`, metricName: 'MisOperatorAlerts' };
    for (const name of ['sync-mis', 'wonde-lifecycle'] as const) {
      new logs.MetricFilter(this, `${name === 'sync-mis' ? 'Sync' : 'Lifecycle'}AlertFilter`, {
        logGroup: props.functions[name].logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', misAlertLogMessage),
        metricValue: '1',
        ...metric,
      });
    }
    props.alarm(
      'MisOperatorAlertAlarm',
      new cloudwatch.Metric({ namespace: metric.metricNamespace, metricName: metric.metricName, period: Duration.minutes(5), statistic: 'Sum' }),
      "The Wonde connector stopped a school's sync (revoked token or accessRevoked): see sync-mis logs, then `tracker school connect` once the school approves again",
    );

    new CfnOutput(stack, outputNames.syncFunction, { value: sync.function.functionName, description: 'Invoked by `tracker sync`' });
    new CfnOutput(stack, 'MisSecretsPrefix', { value: prefix, description: 'Secrets Manager prefix of Wonde tokens (tracker school connect --stage)' });
  }
}
