import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { attendancePartition, weekPartition } from '../../domain/keys';
import { table } from '../../domain/table';
import type { StoredItem } from '../../ports';
import { collect, queryPages, type TableRef } from './dynamodb';

/**
 * Every stored event of one school-week, as the table holds it (the items the stream
 * announced): the week's attendance partition (pattern 9) and the week's journal entries
 * on the week index (pattern 11). Two Queries, never a Scan; notification entries that
 * share the index partition are left out.
 */
export async function storedEventsOfWeek(ref: TableRef, schoolId: string, week: string): Promise<StoredItem[]> {
  const query = (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>) =>
    collect(queryPages<StoredItem>((start) => ref.client.send(new QueryCommand({ ...input, TableName: ref.tableName, ExclusiveStartKey: start }))));
  const { byWeek } = table.indexes;
  const [marks, journal] = await Promise.all([
    query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': attendancePartition(schoolId, week) }, ConsistentRead: true }),
    query({
      IndexName: byWeek.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byWeek.partitionKey },
      ExpressionAttributeValues: { ':pk': weekPartition(schoolId, week) },
    }),
  ]);
  return [...marks, ...journal].filter((item) => item.recordKind === 'event');
}
