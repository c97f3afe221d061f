import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TrackerConfig } from '../config';
import { acknowledge, acknowledgementReasons } from '../nag';
import { Section } from './section';

/** The schools' webhook: an HTTP API with one route, throttled and access-logged. */
export class IngestApi extends Section {
  readonly httpApi: apigw.HttpApi;
  readonly apiUrl: string;
  readonly domain?: apigw.DomainName;

  constructor(scope: Construct, id: string, props: { config: TrackerConfig; handler: lambda.IFunction }) {
    super(scope, id);
    const { config } = props;
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.httpApi = new apigw.HttpApi(this, 'Api', {
      apiName: `tracker-${config.stage}`,
      description: `Intervention tracker (${config.stage}): the schools' webhook`,
      createDefaultStage: false,
    });
    const [webhookRoute] = this.httpApi.addRoutes({
      path: '/v1/schools/{schoolId}/events',
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestEvents', props.handler, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 }),
    });
    acknowledge(webhookRoute!, 'AwsSolutions-APIG4', acknowledgementReasons.webhookAuthorization);
    this.domain =
      config.domainName && config.certificateArn
        ? // At stack scope: the stage's API mapping takes its id from the domain's path, and a
          // replaced mapping would collide with the existing one on the same domain.
          new apigw.DomainName(Stack.of(this), 'CustomDomain', {
            domainName: config.domainName,
            certificate: acm.Certificate.fromCertificateArn(Stack.of(this), 'CustomDomainCertificate', config.certificateArn),
            securityPolicy: apigw.SecurityPolicy.TLS_1_2,
          })
        : undefined;
    const stage = new apigw.HttpStage(this, 'ApiStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: apiAccessLogFormat },
      ...(this.domain ? { domainMapping: { domainName: this.domain } } : {}),
    });
    this.apiUrl = this.domain ? `https://${config.domainName}/` : stage.url;
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
