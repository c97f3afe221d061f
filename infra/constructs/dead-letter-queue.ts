import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgementReasons } from '../nag';

export interface DeadLetterQueueProps {
  queueName: string;
  /** What ends up here, for the console and the alarm description. */
  purpose: string;
}

/**
 * Where failures of one consumer wait for a person: encrypted at rest (SSE-SQS), TLS-only,
 * kept 14 days (SQS's maximum). Messages are ids and metadata only, never personal data:
 * bus events are thin (events/bus.ts) and stream failures carry shard positions.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly purpose: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.purpose = props.purpose;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.queue, 'AwsSolutions-SQS3', acknowledgementReasons.deadLetterQueueHasNoDlq);
    acknowledge(this.queue, 'Serverless-SQSRedrivePolicy', acknowledgementReasons.deadLetterQueueHasNoRedrive);
  }
}
