import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { interventionTimelinePrefix, pupilPartition, pupilProfileKey, sentMessageKey } from '../../domain/keys';
import type { SentMessage } from '../../ports/mail-feedback';
import type { Key } from '../../domain/records';
import { table } from '../../domain/table';
import type { ClaimResult, NotificationDecisionItem, NotificationReads, NotificationStore } from '../../ports';
import type { TableRef } from './dynamodb';
import { readIncidentVersions } from './incident-versions';

/**
 * Notification decisions in the single table (docs/data-model.md, patterns 12 to 14).
 * The claim is one conditional PutItem: DynamoDB evaluates the condition atomically, so of
 * any number of concurrent deliveries of one event exactly one records (and sends) it.
 */
export class DynamoNotificationStore implements NotificationStore {
  constructor(private readonly table: TableRef) {}

  async claim(item: NotificationDecisionItem): Promise<ClaimResult> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: item,
          // A decision is made once; only a send that failed transiently may be taken over.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retryable',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':retryable': 'retryable' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { claimed: false, existing: error.Item ? unmarshall(error.Item) : {} };
    }
  }

  async markSent(key: Key, result: { messageId: string; sentAt: string }, sent?: SentMessage): Promise<void> {
    const update = {
      TableName: this.table.tableName,
      Key: key,
      UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :sentAt REMOVE errorName',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':messageId': result.messageId, ':sentAt': result.sentAt },
    };
    if (!sent) {
      await this.table.client.send(new UpdateCommand(update));
      return;
    }
    // Together: a bounce must always find the decision its message id belongs to.
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: update },
          { Put: { TableName: this.table.tableName, Item: { ...sentMessageKey(sent.messageId), recordKind: 'sent-message', ...sent } } },
        ],
      }),
    );
  }

  async markFailed(key: Key, failure: { status: 'retryable' | 'rejected'; errorName: string; reason?: string; failedAt: string }): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: key,
        UpdateExpression: `SET #status = :status, errorName = :errorName, failedAt = :failedAt${failure.reason ? ', reason = :reason' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': failure.status,
          ':errorName': failure.errorName,
          ':failedAt': failure.failedAt,
          ...(failure.reason ? { ':reason': failure.reason } : {}),
        },
      }),
    );
  }
}

/** The reads the notifiers need: the stored record, profiles, an intervention's kind. */
export class DynamoNotificationReads implements NotificationReads {
  constructor(private readonly table: TableRef) {}

  private async get(key: Key): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  storedRecord(key: Key) {
    return this.get(key);
  }

  pupilProfile(schoolId: string, pupilId: string) {
    return this.get(pupilProfileKey(schoolId, pupilId));
  }

  incidentVersions(schoolId: string, incidentId: string) {
    return readIncidentVersions(this.table, schoolId, incidentId);
  }

  async interventionKind(schoolId: string, pupilId: string, interventionId: string): Promise<string | undefined> {
    const { byPupil } = table.indexes;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: byPupil.name,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: '#type = :started',
          ExpressionAttributeNames: { '#pk': byPupil.partitionKey, '#sk': byPupil.sortKey, '#type': 'type' },
          ExpressionAttributeValues: {
            ':pk': pupilPartition(schoolId, pupilId),
            ':prefix': interventionTimelinePrefix(interventionId),
            ':started': 'intervention.started',
          },
          ExclusiveStartKey: start,
        }),
      );
      const started = page.Items?.[0] as { data?: { kind?: unknown } } | undefined;
      if (started) return typeof started.data?.kind === 'string' ? started.data.kind : undefined;
      start = page.LastEvaluatedKey;
    } while (start);
    return undefined;
  }
}
