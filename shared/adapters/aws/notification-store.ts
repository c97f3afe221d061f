import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { interventionTimelinePrefix, notificationIndexes, pupilPartition, pupilProfileKey, sentMessageKey } from '../../domain/keys';
import type { SentMessage } from '../../ports/mail-feedback';
import type { Key } from '../../domain/records';
import { table } from '../../domain/table';
import type { ClaimResult, NotificationDecisionItem, NotificationReads, NotificationStore } from '../../ports';
import { attributeUpdates, conditionalWrite, type TableRef } from './dynamodb';
import { readIncidentVersions } from './incident-versions';

/** A decision's index entries (gsi2: the school-week's decisions; gsi3: the pupil's chronology). */
const indexesOf = (item: NotificationDecisionItem) => ({ gsi2pk: item.gsi2pk, gsi2sk: item.gsi2sk, gsi3pk: item.gsi3pk, gsi3sk: item.gsi3sk });

interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}
/** Leaves a claim off the pupil's chronology (undefined attributes are not written); it stays on the week's index. */
const offChronology = { gsi3pk: undefined, gsi3sk: undefined };
const exists: Condition = { expression: 'attribute_exists(pk)' };
const sending = { names: { '#status': 'status' }, values: { ':sending': 'sending' } };
const stillSending: Condition = { expression: '#status = :sending', ...sending };
const stillSendingOffChronology: Condition = { expression: '#status = :sending AND attribute_not_exists(gsi3pk)', ...sending };

/**
 * Notification decisions in the single table (docs/data-model.md, patterns 12 to 14; write
 * cost in docs/decisions/0012-decision-index-on-outcome.md). The claim is one conditional
 * PutItem: DynamoDB evaluates the condition atomically, so of any number of concurrent
 * deliveries of one event exactly one records (and sends) it.
 *
 * A claim still `sending` is stored with its week entry but without its chronology entry
 * (2 WCU, not 3): the outcome writes that. So a claim left unfinished always counts in the
 * week's figures ("sending"), and a claim that meets one (the retry of a delivery that crashed
 * between claim and outcome) adds it to the chronology too.
 */
export class DynamoNotificationStore implements NotificationStore {
  constructor(private readonly table: TableRef) {}

  async claim(item: NotificationDecisionItem): Promise<ClaimResult> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: item.status === 'sending' ? { ...item, ...offChronology } : item,
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
      const existing = error.Item ? unmarshall(error.Item) : {};
      if (existing.status === 'sending' && existing.gsi3pk === undefined) await this.indexUnfinished(existing as NotificationDecisionItem);
      return { claimed: false, existing };
    }
  }

  /** Adds a claim found still `sending` to the chronology (only if it still is and nothing did meanwhile). */
  private async indexUnfinished(existing: NotificationDecisionItem): Promise<void> {
    await conditionalWrite(this.update(existing, notificationIndexes(existing), stillSendingOffChronology));
  }

  async markSent(item: NotificationDecisionItem, result: { messageId: string; sentAt: string }, sent?: SentMessage): Promise<void> {
    // First, so a bounce always finds the decision its message id belongs to (SES feedback
    // retries until it does); not a transaction, which would double the WCU of both writes.
    if (sent) {
      await this.table.client.send(
        new PutCommand({ TableName: this.table.tableName, Item: { ...sentMessageKey(sent.messageId), recordKind: 'sent-message', ...sent } }),
      );
    }
    const outcome = { ...indexesOf(item), messageId: result.messageId, sentAt: result.sentAt, errorName: undefined };
    // `sent` only over `sending`: SES feedback that was quicker than this write keeps its status.
    const marked = await conditionalWrite(this.update(item, { ...outcome, status: 'sent' }, stillSending));
    if (!marked) await this.update(item, outcome, exists);
  }

  async markFailed(
    item: NotificationDecisionItem,
    failure: { status: 'retryable' | 'rejected'; errorName: string; reason?: string; failedAt: string },
  ): Promise<void> {
    await this.update(item, { ...indexesOf(item), ...failure }, exists);
  }

  /** One UpdateItem of a decision: SET each defined attribute, REMOVE each undefined one. */
  private update(item: NotificationDecisionItem, attributes: Record<string, unknown>, condition: Condition) {
    const { names, values, sets, removes } = attributeUpdates(attributes);
    return this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: { ...names, ...condition.names },
        ExpressionAttributeValues: { ...values, ...condition.values },
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
