import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sentMessageKey } from '../../domain/keys';
import type { Key } from '../../domain/records';
import type { FeedbackUpdate, MailFeedbackStore, SentMessage } from '../../ports/mail-feedback';
import type { TableRef } from './dynamodb';

/** Sent messages by SES message id (pattern 30) and the feedback on their decisions. */
export class DynamoMailFeedbackStore implements MailFeedbackStore {
  constructor(private readonly table: TableRef) {}

  async sentMessage(messageId: string): Promise<SentMessage | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: sentMessageKey(messageId), ConsistentRead: true }));
    return Item as SentMessage | undefined;
  }

  async recordFeedback(decisionKey: Key, update: FeedbackUpdate): Promise<void> {
    // A delay is noted beside the status; a bounce or complaint replaces `sent`.
    const set = update.status ? 'SET #status = :status, feedbackReason = :reason, feedbackAt = :at' : 'SET deliveryDelay = :reason, deliveryDelayedAt = :at';
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: decisionKey,
        UpdateExpression: set,
        ConditionExpression: 'attribute_exists(pk)',
        ...(update.status ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ...(update.status ? { ':status': update.status } : {}), ':reason': update.reason, ':at': update.at },
      }),
    );
  }
}
