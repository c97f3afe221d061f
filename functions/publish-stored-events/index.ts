import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deployedPublisher } from '../../shared/adapters/aws/eventbridge-publisher';
import { busEventForStoredItem } from '../../shared/domain/stored-events';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { lambdaHandler } from '../lambda-handler';

/**
 * Table stream → event bus: the only way a stored event reaches the bus, so nothing stored
 * is missed and the webhook never writes twice. Records are published in order; on a
 * failure the rest of the batch is reported back so the stream retries from there.
 */
export function publishStoredEvents(ports: Pick<Ports, 'publisher'>) {
  return async (stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    let published = 0;
    for (const [index, record] of stream.Records.entries()) {
      const image = record.dynamodb?.NewImage;
      const busEvent = image && busEventForStoredItem(unmarshall(image as Record<string, AttributeValue>));
      if (!busEvent) continue;
      try {
        await ports.publisher.publish([busEvent]);
        published++;
      } catch (error) {
        logger.error('publish failed; the stream will retry', { errorName: (error as Error).name, published });
        return {
          batchItemFailures: stream.Records.slice(index).map((failed) => ({
            itemIdentifier: failed.dynamodb?.SequenceNumber ?? '',
          })),
        };
      }
    }
    logger.info('stored events published', { records: stream.Records.length, published });
    return { batchItemFailures: [] };
  };
}

export const handler = lambdaHandler(() => publishStoredEvents({ publisher: deployedPublisher() }));
