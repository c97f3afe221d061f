import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { misConnectionIndex, misConnectionKey, misConnectionPartition, pupilProfileKey } from '../../domain/keys';
import type { MisConnection, MisConnectionState, MisConnectionStore, StoredRoster } from '../../ports/mis';
import { conditionalWrite, queryByPupilPartition, type TableRef } from './dynamodb';

const fields = ['schoolId', 'provider', 'misSchoolId', 'state', 'reason', 'stateChangedAt', 'cursors', 'checkpoint', 'lastSyncAt'] as const;

function toConnection(item: Record<string, unknown>): MisConnection {
  return Object.fromEntries(fields.flatMap((field) => (item[field] === undefined ? [] : [[field, item[field]]]))) as unknown as MisConnection;
}

/** Connections in the table: GetItem by school, one Query of the MIS_CONNECTIONS index partition, keyed updates. */
export class DynamoMisConnectionStore implements MisConnectionStore {
  constructor(private readonly table: TableRef) {}

  async get(schoolId: string): Promise<MisConnection | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: misConnectionKey(schoolId), ConsistentRead: true }));
    return Item ? toConnection(Item) : undefined;
  }

  async list(): Promise<MisConnection[]> {
    return (await queryByPupilPartition(this.table, misConnectionPartition)).map(toConnection);
  }

  async put(connection: MisConnection): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...misConnectionKey(connection.schoolId), ...misConnectionIndex(connection.schoolId), recordKind: 'mis-connection', ...connection },
      }),
    );
  }

  async saveProgress(schoolId: string, progress: Pick<MisConnection, 'cursors' | 'checkpoint' | 'lastSyncAt'>): Promise<boolean> {
    const set = ['cursors = :cursors', ...(progress.lastSyncAt ? ['lastSyncAt = :at'] : []), ...(progress.checkpoint ? ['checkpoint = :checkpoint'] : [])];
    return conditionalWrite(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: misConnectionKey(schoolId),
          // A revoke that landed mid-sync must not be overwritten by the sync's progress.
          UpdateExpression: `SET ${set.join(', ')}${progress.checkpoint ? '' : ' REMOVE checkpoint'}`,
          ConditionExpression: '#state = :connected',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':connected': 'connected',
            ':cursors': progress.cursors,
            ...(progress.lastSyncAt ? { ':at': progress.lastSyncAt } : {}),
            ...(progress.checkpoint ? { ':checkpoint': progress.checkpoint } : {}),
          },
        }),
      ),
    );
  }

  async setState(schoolId: string, state: MisConnectionState, reason: string, at: string): Promise<boolean> {
    return conditionalWrite(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: misConnectionKey(schoolId),
          UpdateExpression: 'SET #state = :state, reason = :reason, stateChangedAt = :at',
          // Only a known connection, and only a real change (so an alert is sent once).
          ConditionExpression: 'attribute_exists(pk) AND #state <> :state',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': state, ':reason': reason, ':at': at },
        }),
      ),
    );
  }
}

/** The stored roster fields a deletion keeps (GetItem of the pupil profile, pattern 18's profile). */
export class DynamoStoredRoster implements StoredRoster {
  constructor(private readonly table: TableRef) {}

  async get(schoolId: string, pupilId: string) {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: pupilProfileKey(schoolId, pupilId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { firstName, lastName, yearGroup, dateOfBirth } = Item as Record<string, string>;
    return { firstName: firstName!, lastName: lastName!, yearGroup: yearGroup!, ...(dateOfBirth ? { dateOfBirth } : {}) };
  }
}
