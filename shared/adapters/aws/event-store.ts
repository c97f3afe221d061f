import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LatestWins, WritePlan } from '../../domain/records';
import type { EventStore, StoreOutcome } from '../../ports';
import type { TableRef } from './dynamodb';

const newerThanStored = '(attribute_not_exists(pk) OR occurredAtUtc < :occurredAtUtc)';

/** SET every defined attribute, REMOVE the ones the newer version no longer has. */
function replaceAttributes(attributes: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(attributes).forEach(([name, value], index) => {
    names[`#a${index}`] = name;
    if (value === undefined) removes.push(`#a${index}`);
    else {
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
    }
  });
  return { names, values, sets, removes };
}

function storedEventIds(error: ConditionalCheckFailedException): Set<string> {
  const old = error.Item ? unmarshall(error.Item) : {};
  return (old.eventIds as Set<string> | undefined) ?? new Set();
}

const maxConflictRetries = 5;

/**
 * Executes a WritePlan with conditional writes so that concurrent duplicates store once:
 * DynamoDB evaluates each condition atomically, so exactly one writer sees it pass.
 */
export class DynamoEventStore implements EventStore {
  constructor(private readonly table: TableRef) {}

  async store(plan: WritePlan): Promise<StoreOutcome> {
    return plan.kind === 'mark' ? this.storeMark(plan.eventId, plan.mark) : this.storeJournal(plan);
  }

  /** One UpdateItem per mark: applies it if newer, and remembers its eventId either way. */
  private async storeMark(eventId: string, mark: LatestWins): Promise<StoreOutcome> {
    const { names, values, sets, removes } = replaceAttributes(mark.attributes);
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: mark.key,
          UpdateExpression: `SET ${sets.join(', ')} ADD eventIds :eventIds${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `${newerThanStored} AND NOT contains(eventIds, :eventId)`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...values,
            ':eventIds': new Set([eventId]),
            ':eventId': eventId,
            ':occurredAtUtc': mark.occurredAtUtc,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (storedEventIds(error).has(eventId)) return 'duplicate';
    }
    // An older mark arriving late changes nothing but is remembered, so a re-send is a duplicate.
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: mark.key,
          UpdateExpression: 'ADD eventIds :eventIds',
          ConditionExpression: 'NOT contains(eventIds, :eventId)',
          ExpressionAttributeValues: { ':eventIds': new Set([eventId]), ':eventId': eventId },
        }),
      );
      return 'accepted';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  private async storeJournal(plan: Extract<WritePlan, { kind: 'journal' }>, attempt = 0): Promise<StoreOutcome> {
    const { tableName, client } = this.table;
    const journalPut = { TableName: tableName, Item: plan.journal, ConditionExpression: 'attribute_not_exists(pk)' };
    if (!plan.profile && plan.participants.length === 0) {
      try {
        await client.send(new PutCommand(journalPut));
        return 'accepted';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        throw error;
      }
    }
    const profile = plan.profile;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: journalPut },
            ...plan.participants.map((item) => ({ Put: { TableName: tableName, Item: item } })),
            ...(profile
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: { ...profile.key, ...profile.attributes },
                      ConditionExpression: newerThanStored,
                      ExpressionAttributeValues: { ':occurredAtUtc': profile.occurredAtUtc },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (profile && reasons.at(-1)?.Code === 'ConditionalCheckFailed') {
        // A newer roster is already stored: keep the receipt only.
        return this.storeJournal({ ...plan, profile: undefined }, attempt);
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict') && attempt < maxConflictRetries) {
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
        return this.storeJournal(plan, attempt + 1);
      }
      throw error;
    }
  }
}
