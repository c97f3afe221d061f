import { Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionNames, type FunctionName } from '../../functions/registry';
import { table as tableDefinition } from '../../shared/domain/table';
import type { TrackerConfig } from '../config';
import { delivery } from '../delivery';
import type { EnvName } from '../../shared/adapters/aws/environment';
import { functionSpecs, mailPacing, storageAttemptMs, type FunctionSpec } from '../functions';
import { acknowledge, acknowledgementReasons } from '../nag';
import { DeadLetterQueue } from './dead-letter-queue';
import type { Mail } from './mail';
import { nagArn } from '../nag';
import { misConnectorEnvironment } from './mis-connector';
import { metricsNamespace, pascal } from './names';
import { Section } from './section';
import type { Storage } from './storage';
import { TrackerFunction } from './tracker-function';

export interface FunctionsProps {
  config: TrackerConfig;
  projectRoot: string;
  storage: Storage;
  bus: events.IEventBus;
  mail: Mail;
}

/**
 * Every function of functions/registry.ts, each with exactly the environment and the
 * permissions infra/functions.ts gives it, and a dead-letter queue for each one invoked
 * asynchronously (rule, schedule) or by the stream.
 */
export class Functions extends Section {
  readonly byName = {} as Record<FunctionName, TrackerFunction>;
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  private readonly deadLetters = {} as Partial<Record<FunctionName, DeadLetterQueue>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { config, storage, bus, mail } = props;
    const envValues: Record<Exclude<EnvName, 'STORAGE_TIMEOUT_MS'>, string> = {
      TABLE_NAME: storage.table.tableName,
      SECRETS_PREFIX: storage.secretsPrefix,
      EVENT_BUS_NAME: bus.eventBusName,
      MAIL_FROM: config.mailFrom,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      TRUST_LEADERS: config.trustLeaders.join(','),
      TRUST_NAME: config.trustName,
      ...misConnectorEnvironment(this, config.stage),
    };
    for (const name of functionNames) {
      const spec = functionSpecs[name];
      const tracked = new TrackerFunction(this, pascal(name), {
        name,
        spec,
        stage: config.stage,
        projectRoot: props.projectRoot,
        environment: Object.fromEntries(
          spec.env.map((key) => [key, key === 'STORAGE_TIMEOUT_MS' ? String(storageAttemptMs(spec.timeoutSeconds)) : envValues[key]]),
        ),
        logRetention: config.logRetentionDays as logs.RetentionDays,
        logLevel: config.logLevel,
        metricsNamespace: metricsNamespace(config.stage),
      });
      this.byName[name] = tracked;
      this.grant(tracked.role, spec, props);
      this.addDeadLetterQueue(name, spec, config.stage);
    }
  }

  /** The dead-letter queue of an asynchronously invoked, queue- or stream-fed function. */
  deadLettersOf(name: FunctionName): sqs.IQueue {
    return this.deadLetterQueueOf(name).queue;
  }

  deadLetterQueueOf(name: FunctionName): DeadLetterQueue {
    const dlq = this.deadLetters[name];
    if (!dlq) throw new Error(`${name} has no dead-letter queue (trigger ${functionSpecs[name].trigger})`);
    return dlq;
  }

  private grant(role: iam.Role, spec: FunctionSpec, { storage, bus, mail }: FunctionsProps) {
    if (spec.table) {
      if (spec.table.actions.length) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'TableItems', actions: [...spec.table.actions], resources: [storage.table.tableArn] }));
      }
      if (spec.table.indexes?.length) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'TableIndexQueries',
            actions: ['dynamodb:Query'],
            resources: spec.table.indexes.map((index) => storage.tableArnFor(tableDefinition.indexes[index].name)),
          }),
        );
      }
      // The table key, only through DynamoDB; encrypting only for functions that write.
      const writes = spec.table.actions.some((action) => action === 'dynamodb:PutItem' || action === 'dynamodb:UpdateItem' || action === 'dynamodb:DeleteItem');
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'TableKeyViaDynamoDB',
          actions: ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])],
          resources: [storage.tableKey.keyArn],
          conditions: storage.tableKeyStatementConditions(),
        }),
      );
    }
    if (spec.publishes) bus.grantPutEventsTo(role);
    if (spec.sendsEmail) role.addToPrincipalPolicy(mail.sendEmail);
    if (spec.readsWebhookSecrets) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ReadWebhookSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [storage.secretsArnPattern] }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptWebhookSecretsViaSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [storage.secretsKey.keyArn],
          conditions: storage.secretsKeyStatementConditions(),
        }),
      );
      acknowledge(role, `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(this), storage.secretsArnPattern)}]`, acknowledgementReasons.webhookSecretsPrefix);
    }
  }

  /** Delivery failures and failed invocations of every function not answering an API call. */
  private addDeadLetterQueue(name: FunctionName, { trigger }: FunctionSpec, stage: string) {
    if (trigger === 'api') return;
    const purposes: Record<Exclude<FunctionSpec['trigger'], 'api'>, string> = {
      stream: `stream batches ${name} could not publish after ${delivery.streamRetryAttempts} retries (shard and sequence numbers; replay from the table)`,
      rule: `events EventBridge could not deliver to ${name}, and invocations that failed after Lambda's retries`,
      schedule: `events EventBridge Scheduler could not deliver to ${name}, and invocations that failed after Lambda's retries`,
      queue: `events ${name} failed on ${mailPacing.maxReceiveCount} receives from its pacing queue, and events EventBridge could not deliver to that queue`,
    };
    const dlq = new DeadLetterQueue(this, `${pascal(name)}DeadLetters`, { queueName: `tracker-${stage}-${name}-dlq`, purpose: purposes[trigger] });
    this.deadLetters[name] = dlq;
    this.deadLetterQueues.push(dlq);
    if (trigger === 'rule' || trigger === 'schedule') {
      this.byName[name].function.configureAsyncInvoke({
        retryAttempts: delivery.asyncRetryAttempts,
        maxEventAge: delivery.asyncMaxEventAge,
        onFailure: dlq.asyncFailureDestination(),
      });
    }
  }
}
