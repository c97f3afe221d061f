import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionNames, type FunctionName } from '../../functions/registry';
import type { TrackerConfig } from '../config';
import { functionSpecs, mailPacing } from '../functions';
import { acknowledge, acknowledgementReasons } from '../nag';
import type { Functions } from './functions';
import { pascal } from './names';
import { Section } from './section';

/**
 * Mail paced: each function that mails for every stored event (trigger `queue`: parents'
 * notices, DSL alerts) drains its own queue, at most `mailConcurrency` invocations at a
 * time, so a burst waits in the queue rather than meeting SES throttling. Failed notices
 * return to the queue (partial batch responses) and, after maxReceiveCount, go to the
 * function's DLQ.
 */
export class Notifications extends Section {
  readonly queues = {} as Partial<Record<FunctionName, sqs.Queue>>;

  constructor(scope: Construct, id: string, props: { config: TrackerConfig; functions: Functions }) {
    super(scope, id);
    const { config, functions } = props;
    for (const name of functionNames) {
      const spec = functionSpecs[name];
      if (spec.trigger !== 'queue') continue;
      const queue = new sqs.Queue(this, `${pascal(name)}Queue`, {
        queueName: `tracker-${config.stage}-${name}`,
        // Bus events are thin (ids and flags): SQS-managed encryption suffices, as for the DLQs.
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.timeoutSeconds * mailPacing.visibilityTimeoutFactor),
        // The longest SQS keeps a message: a stalled function must not lose notices to expiry.
        retentionPeriod: Duration.days(14),
        deadLetterQueue: { queue: functions.deadLettersOf(name), maxReceiveCount: mailPacing.maxReceiveCount },
      });
      const fn = functions.byName[name].function;
      fn.addEventSource(new SqsEventSource(queue, { batchSize: mailPacing.batchSize, maxConcurrency: config.mailConcurrency, reportBatchItemFailures: true }));
      const mapping = fn.node.children.find((child) => child.node.id.startsWith('SqsEventSource:'))!;
      acknowledge(mapping, 'Serverless-LambdaEventSourceMappingDestination', acknowledgementReasons.pacingQueueRedrive);
      this.queues[name] = queue;
    }
  }

  /** The pacing queue a rule targets instead of the function itself. */
  queueOf(name: FunctionName): sqs.Queue | undefined {
    return this.queues[name];
  }
}
