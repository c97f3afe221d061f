import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  incidentTimelinePrefix,
  journalKey,
  pupilPartition,
  pupilProfileKey,
  rollupKey,
  rosterPartition,
  weekPartition,
  weekSortPrefix,
} from '../../domain/keys';
import { table } from '../../domain/table';
import type { ChronologyItem, ChronologyPage, PupilSummary, StaffReads } from '../../ports';
import { batchGetAll, queryAll, queryPages, type TableRef } from './dynamodb';

const { byPupil, byPupilTime, byWeek } = table.indexes;

/** A cursor is the page's LastEvaluatedKey, opaque to the client (base64url JSON). */
const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string, partition: string): Record<string, string> | undefined {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const names = ['pk', 'sk', byPupilTime.partitionKey, byPupilTime.sortKey];
    const valid = Object.keys(key).length === names.length && names.every((name) => typeof key[name] === 'string');
    // A cursor of another pupil's partition would read that pupil: refused like a malformed one.
    return valid && key[byPupilTime.partitionKey] === partition ? (key as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The staff API's reads (docs/data-model.md, patterns 24 to 29): GetItem, Query and
 * BatchGetItem only, each bounded.
 */
export class DynamoStaffReads implements StaffReads {
  constructor(private readonly ref: TableRef) {}

  async searchRoster(schoolId: string, text: string, limit: number): Promise<PupilSummary[]> {
    const found: PupilSummary[] = [];
    const pages = queryPages<PupilSummary>((start) =>
      this.ref.client.send(
        new QueryCommand({
          TableName: this.ref.tableName,
          IndexName: byPupil.name,
          KeyConditionExpression: '#pk = :roster',
          ...(text ? { FilterExpression: 'contains(searchText, :text)' } : {}),
          ProjectionExpression: 'pupilId, firstName, lastName, yearGroup',
          ExpressionAttributeNames: { '#pk': byPupil.partitionKey },
          ExpressionAttributeValues: { ':roster': rosterPartition(schoolId), ...(text ? { ':text': text } : {}) },
          ExclusiveStartKey: start,
        }),
      ),
    );
    for await (const page of pages) {
      found.push(...page);
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
  }

  async pupil(schoolId: string, pupilId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.ref.client.send(new GetCommand({ TableName: this.ref.tableName, Key: pupilProfileKey(schoolId, pupilId) }));
    return Item;
  }

  async chronologyPage(schoolId: string, pupilId: string, limit: number, cursor?: string): Promise<ChronologyPage | 'bad-cursor'> {
    const partition = pupilPartition(schoolId, pupilId);
    const start = cursor === undefined ? undefined : decodeCursor(cursor, partition);
    if (cursor !== undefined && !start) return 'bad-cursor';
    const { Items = [], LastEvaluatedKey } = await this.ref.client.send(
      new QueryCommand({
        TableName: this.ref.tableName,
        IndexName: byPupilTime.name,
        KeyConditionExpression: '#pk = :pupil',
        ExpressionAttributeNames: { '#pk': byPupilTime.partitionKey },
        ExpressionAttributeValues: { ':pupil': partition },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { items: await this.withLinkedEvents(schoolId, Items), nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : undefined };
  }

  /** A restorative session's 2nd, 3rd… pupil holds a link; the event itself is on the journal item. */
  private async withLinkedEvents(schoolId: string, items: Record<string, unknown>[]): Promise<ChronologyItem[]> {
    const links = items.filter((item) => item.recordKind === 'participant');
    if (links.length === 0) return items;
    const keys = [...new Set(links.map((link) => String(link.eventId)))].map((eventId) => journalKey(schoolId, eventId));
    const events = new Map((await batchGetAll<ChronologyItem>(this.ref, keys)).map((item) => [String(item.eventId), item]));
    return items.flatMap((item) => {
      if (item.recordKind !== 'participant') return [item];
      const event = events.get(String(item.eventId));
      return event ? [event] : [];
    });
  }

  async incidents(schoolId: string, pupilId: string): Promise<ChronologyItem[]> {
    return queryAll<ChronologyItem>(this.ref, {
      IndexName: byPupil.name,
      KeyConditionExpression: '#pk = :pupil AND begins_with(#sk, :incidents)',
      ProjectionExpression: '#type, eventId, safeguardingConcern, #data.incidentId, #data.safeguardingConcern',
      ExpressionAttributeNames: { '#pk': byPupil.partitionKey, '#sk': byPupil.sortKey, '#type': 'type', '#data': 'data' },
      ExpressionAttributeValues: { ':pupil': pupilPartition(schoolId, pupilId), ':incidents': incidentTimelinePrefix },
    });
  }

  async recordsFollowed(schoolId: string, eventIds: string[]): Promise<ChronologyItem[]> {
    if (eventIds.length === 0) return [];
    return batchGetAll<ChronologyItem>(
      this.ref,
      eventIds.map((eventId) => journalKey(schoolId, eventId)),
      { ProjectionExpression: '#type, eventId, #data.incidentId', ExpressionAttributeNames: { '#type': 'type', '#data': 'data' } },
    );
  }

  async weekRecords(schoolId: string, weeks: string[], types: string[]): Promise<ChronologyItem[]> {
    const queries = weeks.flatMap((week) => types.map((type) => ({ week, type })));
    const pages = await Promise.all(
      queries.map(({ week, type }) =>
        queryAll<ChronologyItem>(this.ref, {
          IndexName: byWeek.name,
          KeyConditionExpression: '#pk = :week AND begins_with(#sk, :type)',
          ExpressionAttributeNames: { '#pk': byWeek.partitionKey, '#sk': byWeek.sortKey },
          ExpressionAttributeValues: { ':week': weekPartition(schoolId, week), ':type': weekSortPrefix(type) },
        }),
      ),
    );
    return pages.flat();
  }

  async figures(schoolId: string, week: string): Promise<unknown> {
    const { Item } = await this.ref.client.send(new GetCommand({ TableName: this.ref.tableName, Key: rollupKey(schoolId, week) }));
    return Item?.figures;
  }
}
