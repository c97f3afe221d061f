import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { weekEnd } from '../../domain/calendar';
import type { ChangedWeek } from '../../domain/changed-weeks';
import {
  attendancePartition,
  changedWeekKey,
  changedWeekPartition,
  pupilProfileKey,
  rollupKey,
  rollupStatePartition,
  rollupStateKey,
  rollupStateSortKey,
  trustSummaryKey,
  trustWeekIndex,
  trustWeekPartition,
  weekPartition,
  weekSortPrefix,
} from '../../domain/keys';
import { expiresAt } from '../../domain/retention';
import type { JournalRecord, MarkRecord, NotificationRecord, RollupFigures, RollupState, WeekRecords } from '../../domain/rollup/types';
import type { ListedPupil } from '../../domain/summary-email/school-summary';
import { table } from '../../domain/table';
import type { RollupSave, RollupStore } from '../../ports';
import { mapWithConcurrency } from '../../util/concurrency';
import { attributeUpdates, batchGetAll, conditionalWrite, queryAll, type TableRef } from './dynamodb';
import { readIncidentVersions } from './incident-versions';

/**
 * Rollups in the single table (docs/rollups.md, docs/data-model.md patterns 9, 11, 14–17):
 * Query and GetItem only, one school-week's partitions at a time.
 *
 * - figures: `SCHOOL#<school>` / `ROLLUP#<week>`, on GSI2 `TRUST#WEEK#<week>` for the trust;
 *   the email claim lives on the same item, outside `figures`;
 * - carried state: `SCHOOL#<school>#ROLLUP_STATE` / `WEEK#<week>` (pupil-level, so it expires
 *   with the attendance marks it sums, by their retention period, not the figures');
 * - the trust summary claim: `TRUST#WEEK#<week>` / `SUMMARY`.
 */

/** A claim not completed within this time is taken to be from a run that died. */
export const staleClaimMs = 15 * 60 * 1000;

const interventionTypes = ['intervention.started', 'intervention.session.recorded', 'intervention.ended'] as const;

export class DynamoRollupStore implements RollupStore {
  constructor(private readonly ref: TableRef) {}

  private query<T>(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<T[]> {
    return queryAll<T>(this.ref, input);
  }

  /** GSI2 entries of a school-week with one sort-key prefix (pattern 11 / 14). */
  private weekIndex<T>(schoolId: string, week: string, kind: string, projection: string[]): Promise<T[]> {
    const { byWeek } = table.indexes;
    return this.query<T>({
      IndexName: byWeek.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ProjectionExpression: projection.map((_, index) => `#p${index}`).join(', '),
      ExpressionAttributeNames: {
        '#pk': byWeek.partitionKey,
        '#sk': byWeek.sortKey,
        ...Object.fromEntries(projection.map((name, index) => [`#p${index}`, name])),
      },
      ExpressionAttributeValues: { ':pk': weekPartition(schoolId, week), ':prefix': weekSortPrefix(kind) },
    });
  }

  private journal(schoolId: string, week: string, type: string): Promise<JournalRecord[]> {
    return this.weekIndex<JournalRecord>(schoolId, week, type, ['eventId', 'type', 'date', 'occurredAtUtc', 'pupilIds', 'data']);
  }

  async readWeek(schoolId: string, week: string, options: { full: boolean }): Promise<WeekRecords> {
    const none = Promise.resolve([]);
    const [marks, interventions, restorative, incidents, notifications] = await Promise.all([
      // Pattern 9: the week's marks, one partition; consistent, so a just-stored correction counts.
      this.query<MarkRecord>({
        KeyConditionExpression: 'pk = :pk',
        ProjectionExpression: '#pupil, #date, #session, #code, #late',
        ExpressionAttributeNames: { '#pupil': 'pupilId', '#date': 'date', '#session': 'session', '#code': 'code', '#late': 'minutesLate' },
        ExpressionAttributeValues: { ':pk': attendancePartition(schoolId, week) },
        ConsistentRead: true,
      }),
      Promise.all(interventionTypes.map((type) => this.journal(schoolId, week, type))).then((lists) => lists.flat()),
      this.journal(schoolId, week, 'restorative.session.recorded'),
      options.full ? this.journal(schoolId, week, 'incident.recorded') : none,
      options.full ? this.weekIndex<NotificationRecord>(schoolId, week, 'notification', ['status', 'reason', 'kind']) : none,
    ]);
    // v2: restrictive records and SDQs feed the carried state, so every folded week reads them.
    const [restrictive, measures] = await Promise.all([
      this.journal(schoolId, week, 'restrictive.intervention.recorded'),
      this.journal(schoolId, week, 'outcome.measure.recorded'),
    ]);
    const senByPupil =
      options.full && restrictive.length
        ? await this.pupilSen(
            schoolId,
            restrictive.flatMap((record) => record.pupilIds),
          )
        : {};
    // Each incident's versions, wherever filed, so it is counted once (pattern 19; a few per week).
    const incidentIds = [...new Set(incidents.map((record) => String((record.data as { incidentId?: unknown }).incidentId)))];
    const versions = await mapWithConcurrency(incidentIds, 8, (incidentId) => readIncidentVersions(this.ref, schoolId, incidentId));
    const incidentVersions = Object.fromEntries(incidentIds.map((incidentId, index) => [incidentId, versions[index]!]));
    return { marks, interventions, restorative, incidents, incidentVersions, notifications, restrictive, measures, senByPupil };
  }

  /** The roster's SEN status of the pupils named (BatchGetItem, `sen` only). */
  private async pupilSen(schoolId: string, pupilIds: string[]): Promise<Record<string, string>> {
    const keys = [...new Set(pupilIds)].map((pupilId) => pupilProfileKey(schoolId, pupilId));
    const items = await batchGetAll<{ pupilId: string; sen?: string }>(this.ref, keys, {
      ProjectionExpression: '#id, #sen',
      ExpressionAttributeNames: { '#id': 'pupilId', '#sen': 'sen' },
    });
    return Object.fromEntries(items.map((item) => [item.pupilId, item.sen ?? 'none']));
  }

  /** Pattern 20: every week marked changed up to `upTo`, one Query of the school's marker partition. */
  async changedWeeks(schoolId: string, upTo: string): Promise<ChangedWeek[]> {
    return this.query<ChangedWeek>({
      KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
      ProjectionExpression: '#week, changes',
      ExpressionAttributeNames: { '#week': 'week' },
      ExpressionAttributeValues: { ':pk': changedWeekPartition(schoolId), ':upTo': changedWeekKey(schoolId, upTo).sk },
      ConsistentRead: true,
    });
  }

  /** Deletes the markers a rollup folded, unless marked again meanwhile (their count moved on). */
  async clearChangedWeeks(schoolId: string, folded: ChangedWeek[]): Promise<void> {
    await Promise.all(
      folded.map((marker) =>
        conditionalWrite(
          this.ref.client.send(
            new DeleteCommand({
              TableName: this.ref.tableName,
              Key: changedWeekKey(schoolId, marker.week),
              ConditionExpression: 'changes = :seen',
              ExpressionAttributeValues: { ':seen': marker.changes },
            }),
          ),
        ),
      ),
    );
  }

  /** The stored figures of the weeks in [from, to] that were rolled up (pattern 15, as a range). */
  async storedFigures(schoolId: string, from: string, to: string): Promise<Record<string, RollupFigures>> {
    const items = await this.query<{ week: string; figures: RollupFigures }>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ProjectionExpression: '#week, figures',
      ExpressionAttributeNames: { '#week': 'week' },
      ExpressionAttributeValues: { ':pk': rollupKey(schoolId, from).pk, ':from': rollupKey(schoolId, from).sk, ':to': rollupKey(schoolId, to).sk },
      ConsistentRead: true,
    });
    return Object.fromEntries(items.map((item) => [item.week, item.figures]));
  }

  async latestState(schoolId: string, from: string, to: string): Promise<RollupState | undefined> {
    if (from > to) return undefined;
    const { Items } = await this.ref.client.send(
      new QueryCommand({
        TableName: this.ref.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': rollupStatePartition(schoolId), ':from': rollupStateSortKey(from), ':to': rollupStateSortKey(to) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? (item.state as RollupState) : undefined;
  }

  async save(input: RollupSave): Promise<void> {
    const { schoolId, week } = input;
    const end = weekEnd(week);
    await this.ref.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.ref.tableName,
              Item: {
                ...rollupStateKey(schoolId, week),
                recordKind: 'rollup-state',
                schoolId,
                week,
                state: input.state,
                runAt: input.runAt,
                expiresAt: expiresAt('attendanceMark', end),
              },
            },
          },
          {
            // Update, not Put: the email marker (emailClaimedAt/emailSentAt) survives a re-run.
            Update: {
              TableName: this.ref.tableName,
              Key: rollupKey(schoolId, week),
              ...setAttributes(
                {
                  recordKind: 'rollup',
                  schoolId,
                  week,
                  figures: input.figures,
                  ...trustWeekIndex(schoolId, week),
                  lastRunAt: input.runAt,
                  foldedWeeks: input.foldedWeeks,
                  expiresAt: expiresAt('rollup', end),
                  ...(input.revisedWeeks?.length ? { revisedWeeks: input.revisedWeeks } : {}),
                },
                { firstRunAt: input.runAt },
              ),
            },
          },
        ],
      }),
    );
  }

  async claimEmail(schoolId: string, week: string, now: Date): Promise<boolean> {
    return conditionalWrite(
      this.ref.client.send(
        new UpdateCommand({
          TableName: this.ref.tableName,
          Key: rollupKey(schoolId, week),
          UpdateExpression: 'SET emailClaimedAt = :now',
          // A send SES refused for good (emailError) is not tried again by a later run.
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(emailSentAt) AND attribute_not_exists(emailError) AND (attribute_not_exists(emailClaimedAt) OR emailClaimedAt < :stale)',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':stale': new Date(now.getTime() - staleClaimMs).toISOString() },
        }),
      ),
    );
  }

  async markEmailSent(schoolId: string, week: string, result: { messageId: string; sentAt: string; recipients: number }): Promise<void> {
    await this.ref.client.send(
      new UpdateCommand({
        TableName: this.ref.tableName,
        Key: rollupKey(schoolId, week),
        UpdateExpression: 'SET emailSentAt = :sentAt, emailMessageId = :messageId, emailRecipients = :recipients REMOVE emailError',
        ExpressionAttributeValues: { ':sentAt': result.sentAt, ':messageId': result.messageId, ':recipients': result.recipients },
      }),
    );
  }

  async markEmailFailed(schoolId: string, week: string, failure: { errorName: string; failedAt: string }): Promise<void> {
    await this.ref.client.send(
      new UpdateCommand({
        TableName: this.ref.tableName,
        Key: rollupKey(schoolId, week),
        UpdateExpression: 'SET emailError = :error, emailFailedAt = :failedAt',
        ExpressionAttributeValues: { ':error': failure.errorName, ':failedAt': failure.failedAt },
      }),
    );
  }

  async releaseEmail(schoolId: string, week: string): Promise<void> {
    await conditionalWrite(
      this.ref.client.send(
        new UpdateCommand({
          TableName: this.ref.tableName,
          Key: rollupKey(schoolId, week),
          UpdateExpression: 'REMOVE emailClaimedAt',
          ConditionExpression: 'attribute_not_exists(emailSentAt)',
        }),
      ),
    );
  }

  async pupilNames(schoolId: string, pupilIds: string[]): Promise<Record<string, ListedPupil>> {
    const keys = [...new Set(pupilIds)].map((pupilId) => pupilProfileKey(schoolId, pupilId));
    // Names and year only: never contacts.
    const items = await batchGetAll<ListedPupil & { pupilId: string }>(this.ref, keys, {
      ProjectionExpression: '#id, #first, #last, #year',
      ExpressionAttributeNames: { '#id': 'pupilId', '#first': 'firstName', '#last': 'lastName', '#year': 'yearGroup' },
    });
    return Object.fromEntries(items.map(({ pupilId, firstName, lastName, yearGroup }) => [pupilId, { firstName, lastName, yearGroup }]));
  }

  async weekRollups(week: string): Promise<{ schoolId: string; figures: RollupFigures }[]> {
    const { byWeek } = table.indexes;
    return this.query<{ schoolId: string; figures: RollupFigures }>({
      IndexName: byWeek.name,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: '#school, #figures',
      ExpressionAttributeNames: { '#pk': byWeek.partitionKey, '#school': 'schoolId', '#figures': 'figures' },
      ExpressionAttributeValues: { ':pk': trustWeekPartition(week) },
    });
  }

  async claimTrustSummary(week: string, now: Date): Promise<boolean> {
    return conditionalWrite(
      this.ref.client.send(
        new PutCommand({
          TableName: this.ref.tableName,
          Item: { ...trustSummaryKey(week), recordKind: 'trust-summary', week, claimedAt: now.toISOString(), expiresAt: expiresAt('rollup', weekEnd(week)) },
          ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(sentAt) AND attribute_not_exists(failedAt) AND claimedAt < :stale)',
          ExpressionAttributeValues: { ':stale': new Date(now.getTime() - staleClaimMs).toISOString() },
        }),
      ),
    );
  }

  async markTrustSummaryFailed(week: string, failure: { errorName: string; failedAt: string }): Promise<void> {
    await this.ref.client.send(
      new UpdateCommand({
        TableName: this.ref.tableName,
        Key: trustSummaryKey(week),
        UpdateExpression: 'SET errorName = :error, failedAt = :failedAt',
        ExpressionAttributeValues: { ':error': failure.errorName, ':failedAt': failure.failedAt },
      }),
    );
  }

  async markTrustSummarySent(week: string, result: { messageId: string; sentAt: string; schools: number }): Promise<void> {
    await this.ref.client.send(
      new UpdateCommand({
        TableName: this.ref.tableName,
        Key: trustSummaryKey(week),
        UpdateExpression: 'SET sentAt = :sentAt, messageId = :messageId, schools = :schools',
        ExpressionAttributeValues: { ':sentAt': result.sentAt, ':messageId': result.messageId, ':schools': result.schools },
      }),
    );
  }

  async releaseTrustSummary(week: string): Promise<void> {
    await conditionalWrite(
      this.ref.client.send(
        new DeleteCommand({ TableName: this.ref.tableName, Key: trustSummaryKey(week), ConditionExpression: 'attribute_not_exists(sentAt)' }),
      ),
    );
  }
}

/** `SET` for every attribute, and `if_not_exists` for the ones only written once. */
function setAttributes(attributes: Record<string, unknown>, once: Record<string, unknown> = {}) {
  const { names, values, sets } = attributeUpdates(attributes, once);
  return { UpdateExpression: `SET ${sets.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}
