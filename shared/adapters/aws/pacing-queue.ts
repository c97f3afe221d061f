import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../../logger';

/**
 * The paced functions' Lambda entry (infra/constructs/notifications.ts): each SQS message
 * body is the EventBridge event the rule put on the queue, handed to the unchanged
 * EventBridge handler one after another (that is the pacing). A failed event is reported
 * as a partial batch failure: only it returns to the queue, to be retried and finally
 * dead-lettered by the queue's redrive policy.
 */
export function fromPacingQueue<E>(handle: (event: E) => Promise<unknown>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(JSON.parse(record.body) as E);
      } catch (error) {
        // Ids only: the handler has logged what it knows; the body is not logged.
        logger.warn('queued event failed; it returns to the queue', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          errorName: (error as Error).name,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
