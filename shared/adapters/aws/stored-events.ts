import { attendancePartition, weekPartition } from '../../domain/keys';
import { table } from '../../domain/table';
import type { StoredItem } from '../../ports';
import { queryAll, type TableRef } from './dynamodb';

/**
 * Everything stored under one school-week: its attendance partition (pattern 9) and its
 * entries on the week index (pattern 11: journal events and notification decisions).
 * Two Queries, never a Scan.
 */
export async function weekItems(ref: TableRef, schoolId: string, week: string): Promise<StoredItem[]> {
  const { byWeek } = table.indexes;
  const [marks, journal] = await Promise.all([
    queryAll(ref, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': attendancePartition(schoolId, week) }, ConsistentRead: true }),
    queryAll(ref, {
      IndexName: byWeek.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byWeek.partitionKey },
      ExpressionAttributeValues: { ':pk': weekPartition(schoolId, week) },
    }),
  ]);
  return [...marks, ...journal];
}

/** The stored events of a school-week (the items the stream announced), for `tracker republish`. */
export async function storedEventsOfWeek(ref: TableRef, schoolId: string, week: string): Promise<StoredItem[]> {
  return (await weekItems(ref, schoolId, week)).filter((item) => item.recordKind === 'event');
}
