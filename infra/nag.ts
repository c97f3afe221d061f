import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { FunctionSpec } from './functions';

/**
 * Every cdk-nag acknowledgement of the stack, with its reason, in one file. A finding is
 * acknowledged on the construct that causes it (never stack-wide), so a new resource with
 * the same problem still fails the synth. docs/deploy.md lists each one; a test keeps the
 * two in step.
 */

export const acknowledgementReasons = {
  xrayResourceWildcard:
    'X-Ray tracing (required): xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*" for them. These are the only actions on "*" and they grant no data access.',
  webhookSecretsPrefix:
    "Webhook secrets are created per school by `tracker school add` after deployment, so their names are unknown at synth; access is limited to this stage's own prefix `<prefix>/*` (each school's secret is `<prefix>/<schoolId>/webhook`) and to GetSecretValue only.",
  lambdaDlq: {
    api: 'Invoked synchronously by API Gateway: a failure is answered 5xx to the school, whose MIS retries the whole request (contract section 3), so there is no asynchronous event to dead-letter.',
    stream:
      "Invoked synchronously by the DynamoDB stream event source mapping: batches that still fail after the retries go to the mapping's own on-failure SQS destination (the DeadLetterConfig does not apply to stream invocations).",
    rule: 'Asynchronous failures go to an SQS on-failure destination (EventInvokeConfig), the successor of DeadLetterConfig: it keeps the original event and the error, and is alarmed.',
    schedule:
      'Asynchronous failures go to an SQS on-failure destination (EventInvokeConfig), the successor of DeadLetterConfig: it keeps the original event and the error, and is alarmed.',
    queue:
      "Invoked synchronously by the SQS event source mapping of its pacing queue: a notice that fails maxReceiveCount times moves to the DLQ by the queue's redrive policy (the function's DeadLetterConfig does not apply to SQS-triggered invocations), and the DLQ is alarmed.",
  } satisfies Record<FunctionSpec['trigger'], string>,
  deadLetterQueueHasNoDlq:
    'This queue is itself a dead-letter queue (EventBridge target DLQ, Lambda on-failure destination or stream on-failure destination), which cdk-nag cannot see. A DLQ of a DLQ would only move the same messages; its depth alarm notifies ops instead.',
  deadLetterQueueHasNoRedrive:
    'This queue is itself a dead-letter queue: nothing consumes it, so there is nothing to redrive from it. Messages are inspected and redriven by an operator (docs/deploy.md), and its depth alarm notifies ops.',
  webhookAuthorization:
    "Every request is authenticated by the contract's HMAC-SHA256 signature (X-Tracker-Signature over the timestamp and the raw body, with the school's own secret, within 300 s) in ingest-events before anything is stored. An API Gateway authorizer cannot read the body, so it cannot check this signature; schools' MIS cannot use IAM or JWT.",
  pacingQueueRedrive:
    "An SQS event source mapping has no on-failure destination (Lambda supports those for streams and Kafka): a notice that fails maxReceiveCount times is moved to the function's alarmed DLQ by the pacing queue's own redrive policy, which is the SQS way to the same end.",
  alarmEmailRedrive:
    "The alarm topic's subscription is an email to the trust's ops address: an undeliverable alarm email cannot be redelivered from a queue to a person, and an alarm on that queue would publish to this same topic. Alarm state stays visible in CloudWatch and on the dashboard.",
} as const;

/** Acknowledges one cdk-nag finding on the construct that causes it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export interface Acknowledgement {
  /** The rule id as acknowledged, without CDK's `Annotation::` prefix. */
  id: string;
  reason: string;
  path: string;
}

/** Every acknowledgement recorded in a construct tree (for tests and the docs). */
export function listAcknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

/** How cdk-nag prints an ARN in a finding id: pseudo parameters as `<AWS::AccountId>`. */
export function nagArn(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn) as string | { 'Fn::Join': [string, unknown[]] };
  if (typeof resolved === 'string') return resolved;
  return resolved['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join('');
}
