import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
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

  /**
   * This queue as a function's on-failure destination (asynchronous invocations) or a
   * stream mapping's: Lambda sends with the function's role, which needs sqs:SendMessage
   * only. (CDK's SqsDestination and SqsDlq grant GetQueueAttributes and GetQueueUrl too,
   * which nothing uses; the deployed-wiring tests fail on unused grants.)
   */
  asyncFailureDestination(): lambda.IDestination {
    return { bind: (_scope, fn) => ({ destination: this.grantSendTo(fn) }) };
  }

  streamFailureDestination(): lambda.IEventSourceDlq {
    return { bind: (_mapping, fn) => ({ destination: this.grantSendTo(fn) }) };
  }

  private grantSendTo(fn: lambda.IFunction): string {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return this.queue.queueArn;
  }
}
