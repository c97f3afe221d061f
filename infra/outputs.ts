/**
 * The stack's name and output names, defined once: the CDK stack declares them and the
 * CLI (`tracker --stage`, infra/cli/targets.ts) reads them. Plain values, no CDK import,
 * so the CLI does not load aws-cdk-lib.
 */

export const trackerStackName = (stage: string) => `InterventionTracker-${stage}`;

/** Secrets Manager names: `<prefix>/<schoolId>/webhook` (shared/adapters/aws/secrets-manager.ts). */
export const webhookSecretsPrefix = (stage: string) => `intervention-tracker/${stage}`;

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
  scheduledTimezones: 'ScheduledTimezones',
  staffUserPoolId: 'StaffUserPoolId',
  staffUserPoolClientId: 'StaffUserPoolClientId',
  staffAppBucket: 'StaffAppBucket',
  staffAppUrl: 'StaffAppUrl',
  syncFunction: 'SyncMisFunctionName',
} as const;

/** The outputs `tracker --stage` reads; all of them must exist for the CLI to start. */
export const cliOutputs = {
  tableName: outputNames.tableName,
  apiUrl: outputNames.apiUrl,
  secretsPrefix: outputNames.secretsPrefix,
  secretsKey: outputNames.secretsKey,
  rollupFunction: outputNames.rollupFunction,
  publisherFunction: outputNames.publisherFunction,
  scheduledTimezones: outputNames.scheduledTimezones,
  staffUserPoolId: outputNames.staffUserPoolId,
  staffUserPoolClientId: outputNames.staffUserPoolClientId,
  staffAppBucket: outputNames.staffAppBucket,
  staffAppUrl: outputNames.staffAppUrl,
  syncFunction: outputNames.syncFunction,
} as const;
