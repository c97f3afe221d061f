import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Adapters, Clock } from '../../ports';
import { CachedSecretStore } from './cached-secret-store';
import { documentClient, type TableRef } from './dynamodb';
import { DynamoEventStore } from './event-store';
import { EventBridgePublisher } from './eventbridge-publisher';
import { DynamoSchoolDirectory } from './school-directory';
import { SecretsManagerSecretStore } from './secrets-manager';
import { PowertoolsMetrics } from './powertools-metrics';
import { SesMailer } from './ses-mailer';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Memoised on first use, so importing a handler module does no I/O and needs no env. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const systemClock: Clock = { now: () => new Date() };

const table = lazy((): TableRef => ({ client: documentClient(), tableName: required('TABLE_NAME') }));
const schools = lazy(() => new DynamoSchoolDirectory(table()));
const events = lazy(() => new DynamoEventStore(table()));
const secrets = lazy(
  () => new CachedSecretStore(new SecretsManagerSecretStore(new SecretsManagerClient({}), required('SECRETS_PREFIX'))),
);
const publisher = lazy(() => new EventBridgePublisher(new EventBridgeClient({}), required('EVENT_BUS_NAME')));
const mailer = lazy(
  () => new SesMailer(new SESv2Client({}), required('MAIL_FROM'), required('SES_CONFIGURATION_SET')),
);
const settings = lazy(() => ({
  trustLeaders: (process.env.TRUST_LEADERS ?? '').split(',').filter(Boolean),
  trustName: process.env.TRUST_NAME ?? 'Trust',
  mailConfigurationSet: process.env.SES_CONFIGURATION_SET,
}));
const metrics = lazy(() => new PowertoolsMetrics());

/** The deployed stack's adapters, configured by the environment the CDK stack sets. */
export const awsAdapters: Adapters = {
  get table() { return table(); },
  get schools() { return schools(); },
  get events() { return events(); },
  get secrets() { return secrets(); },
  get publisher() { return publisher(); },
  get mailer() { return mailer(); },
  get settings() { return settings(); },
  get metrics() { return metrics(); },
  clock: systemClock,
};
