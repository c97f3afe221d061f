import { addDays, weeksBetween } from '../../domain/calendar';
import { attendancePartition, attendancePupilPrefix, pupilPartition } from '../../domain/keys';
import { retentionYears } from '../../domain/retention';
import { table } from '../../domain/table';
import { mapWithConcurrency } from '../../util/concurrency';
import type { PupilRecords, StoredItem } from '../../ports';
import { batchGetAll, queryAll, type TableRef } from './dynamodb';

/**
 * Everything held about one pupil, by Query and GetItem only: the pupil partition (profile,
 * notification decisions), the pupil timeline index (journal), and the attendance
 * partition of each week still within the retention period.
 */
export async function readPupilRecords(ref: TableRef, schoolId: string, pupilId: string, today: string): Promise<PupilRecords> {
  const partition = pupilPartition(schoolId, pupilId);
  const { byPupil } = table.indexes;
  const oldestRetained = addDays(`${Number(today.slice(0, 4)) - retentionYears.attendanceMark}${today.slice(4)}`, -1);
  const [own, timeline, attendanceByWeek] = await Promise.all([
    queryAll(ref, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true }),
    queryAll(ref, {
      IndexName: byPupil.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': byPupil.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
    }),
    // A year ahead too: schools enter planned absences (and MIS imports can run ahead).
    mapWithConcurrency(weeksBetween(oldestRetained, addDays(today, 366)), 16, (week) =>
      queryAll(ref, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pupil)',
        ExpressionAttributeValues: { ':pk': attendancePartition(schoolId, week), ':pupil': attendancePupilPrefix(pupilId) },
      }),
    ),
  ]);

  // Participant links point at the journal item of a multi-pupil event.
  const links = timeline.filter((item) => item.recordKind === 'participant');
  const linked = await batchGetAll<StoredItem>(
    ref,
    links.map((link) => ({ pk: link.pk, sk: 'EVENT' })),
  );
  const events = [...timeline.filter((item) => item.recordKind === 'event'), ...linked].sort((a, b) =>
    String(a.occurredAtUtc).localeCompare(String(b.occurredAtUtc)),
  );

  return {
    profile: own.find((item) => item.recordKind === 'pupil'),
    events,
    attendance: attendanceByWeek.flat(),
    notifications: own.filter((item) => item.recordKind === 'notification'),
  };
}
