import { Duration } from 'aws-cdk-lib';
import { streamDelivery } from './stream-delivery';

/** Retry and age limits of every asynchronous hop, in one place. */
export const delivery = {
  /** EventBridge rule → Lambda (delivery retries: throttling, service errors). */
  ruleRetryAttempts: 10,
  ruleMaxEventAge: Duration.hours(6),
  /** Lambda's own retries after the function fails on an asynchronous event (max 2). */
  asyncRetryAttempts: 2,
  asyncMaxEventAge: Duration.hours(6),
  /** EventBridge Scheduler → Lambda. */
  scheduleRetryAttempts: 10,
  scheduleMaxEventAge: Duration.hours(6),
  /** Table stream → publisher. */
  streamRetryAttempts: streamDelivery.retryAttempts,
  streamMaxRecordAge: Duration.hours(streamDelivery.maxRecordAgeHours),
  streamBatchSize: streamDelivery.batchSize,
} as const;
