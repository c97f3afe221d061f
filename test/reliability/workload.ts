import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { collect, queryPages, type TableRef } from '../../shared/adapters/aws/dynamodb';
import { isoWeekOf } from '../../shared/domain/calendar';
import { attendancePartition, journalKey, pupilProfileKey, weekPartition } from '../../shared/domain/keys';
import { table as tableDefinition } from '../../shared/domain/table';

/**
 * A realistic mix of contract events (every type; marks with late corrections; multi-pupil
 * restorative sessions; roster updates) and an exact read-back by Query/GetItem, so that a
 * reliability test can say "every event stored exactly once, nothing else" per school.
 */

export type ContractEvent = {
  eventId: string;
  type: string;
  occurredAt: string;
  pupilId?: string;
  data: Record<string, any>;
};

/** Weekdays of ISO weeks 2026-W47 and W48 (no marks "today": no first-day-absence mail). */
const dates = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-30', '2026-12-01', '2026-12-02'];
export const workloadWeeks = [...new Set(dates.map(isoWeekOf))];
const presentCodes = ['/', '\\', 'L', 'C', 'I', 'M', 'V', 'B'];

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    shuffle: <T>(items: T[]) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
  };
}

const at = (date: string, minute: number) => `${date}T08:${String(minute % 60).padStart(2, '0')}:00Z`;

/**
 * `count` events for one sender. Ids are `${prefix}-${n}`; pupils are `${pupilPrefix}${n}`.
 * About 60% marks (a tenth of them later corrections of an earlier mark), the rest spread
 * over every other type.
 */
export function mixedEvents(options: { prefix: string; pupilPrefix: string; count: number; seed: number }): ContractEvent[] {
  const rng = random(options.seed);
  const events: ContractEvent[] = [];
  /** Original marks not yet corrected. */
  const marks: ContractEvent[] = [];
  const pupil = (n: number) => `${options.pupilPrefix}${n}`;
  for (let n = 0; events.length < options.count; n++) {
    const eventId = `${options.prefix}-${n}`;
    const date = rng.pick(dates);
    const roll = rng.next();
    if (roll < 0.6) {
      // A correction (a later occurredAt for the same pupil, date and session), at most one per mark.
      const previous = marks.length > 0 && rng.next() < 0.1 ? marks.splice(rng.int(marks.length), 1)[0] : undefined;
      const mark: ContractEvent = previous
        ? { ...previous, eventId, occurredAt: previous.occurredAt.replace('T08:', 'T09:'), data: { ...previous.data, code: 'L', minutesLate: 5 + rng.int(20) } }
        : {
            eventId,
            type: 'attendance.marked',
            occurredAt: at(date, n),
            pupilId: pupil(n),
            data: { date, session: rng.pick(['AM', 'PM'] as const), code: rng.pick(presentCodes) },
          };
      if (!previous) marks.push(mark);
      events.push(mark);
    } else if (roll < 0.7) {
      events.push({
        eventId,
        type: 'incident.recorded',
        occurredAt: at(date, n),
        pupilId: pupil(rng.int(n + 1)),
        data: { incidentId: `I-${eventId}`, category: 'disruption', severity: 1 + rng.int(5), notes: 'staff-only note' },
      });
    } else if (roll < 0.76) {
      events.push({
        eventId,
        type: 'pupil.upserted',
        occurredAt: at(date, n),
        pupilId: pupil(n),
        data: {
          firstName: 'Robin',
          lastName: `Fuzz${n}`,
          yearGroup: rng.pick(['7', '8', '9']),
          contacts: [{ contactId: 'C1', name: 'Carer', relationship: 'mother', parentalResponsibility: true, notify: false }],
        },
      });
    } else if (roll < 0.84) {
      events.push({
        eventId,
        type: 'restorative.session.recorded',
        occurredAt: at(date, n),
        data: {
          sessionId: `RS-${eventId}`,
          date,
          format: 'circle',
          participants: [
            { pupilId: pupil(n), role: 'harmed' },
            { pupilId: pupil(n + 1), role: 'responsible' },
            ...(rng.next() < 0.5 ? [{ pupilId: pupil(n + 2), role: 'supporter' }] : []),
            { staffId: 'S1', role: 'facilitator' },
          ],
          agreementReached: true,
        },
      });
    } else if (roll < 0.9) {
      events.push({
        eventId,
        type: 'intervention.started',
        occurredAt: at(date, n),
        pupilId: pupil(n),
        data: { interventionId: `INT-${eventId}`, kind: 'mentoring', title: 'Mentoring', staffId: 'S1', startDate: date, targets: [] },
      });
    } else if (roll < 0.96) {
      events.push({
        eventId,
        type: 'intervention.session.recorded',
        occurredAt: at(date, n),
        pupilId: pupil(n),
        data: { interventionId: `INT-${n}`, sessionId: `SES-${eventId}`, date, durationMinutes: 30, attended: true, notes: 'staff-only' },
      });
    } else {
      events.push({
        eventId,
        type: 'intervention.ended',
        occurredAt: at(date, n),
        pupilId: pupil(n),
        data: { interventionId: `INT-${n}`, endDate: date, outcome: 'achieved' },
      });
    }
  }
  return events;
}

export function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

const markKey = (event: ContractEvent) => `${event.pupilId}#${event.data.date}#${event.data.session}`;
const pupilsOf = (event: ContractEvent): string[] =>
  event.type === 'restorative.session.recorded'
    ? [...new Set((event.data.participants as { pupilId?: string }[]).flatMap((person) => (person.pupilId ? [person.pupilId] : [])))]
    : [event.pupilId!];

function queryAll(ref: TableRef, input: Record<string, unknown>) {
  return collect(
    queryPages<Record<string, any>>((start) => ref.client.send(new QueryCommand({ ...input, TableName: ref.tableName, ExclusiveStartKey: start } as never))),
  );
}

export interface StoredCounts {
  marks: number;
  journal: Record<string, number>;
  participantLinks: number;
  profiles: number;
}

/**
 * Reads back, by Query and GetItem only, what one school holds for `events` (the distinct
 * events that school was sent), and lists every difference from exactly-once storage.
 */
export async function verifyStoredExactlyOnce(ref: TableRef, schoolId: string, events: ContractEvent[]): Promise<{ problems: string[]; counts: StoredCounts }> {
  const problems: string[] = [];
  const unique = new Map(events.map((event) => [event.eventId, event]));
  const marksPosted = [...unique.values()].filter((event) => event.type === 'attendance.marked');
  const journalPosted = [...unique.values()].filter((event) => event.type !== 'attendance.marked');

  // Marks: one item per (pupil, date, session) in the school-week partitions; every posted id remembered.
  const storedMarks = (
    await Promise.all(
      workloadWeeks.map((week) =>
        queryAll(ref, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': attendancePartition(schoolId, week) }, ConsistentRead: true }),
      ),
    )
  ).flat();
  const expectedMarks = new Map<string, ContractEvent[]>();
  for (const mark of marksPosted) expectedMarks.set(markKey(mark), [...(expectedMarks.get(markKey(mark)) ?? []), mark]);
  if (storedMarks.length !== expectedMarks.size) problems.push(`${schoolId}: ${storedMarks.length} mark items stored, expected ${expectedMarks.size}`);
  for (const item of storedMarks) {
    const key = `${item.pupilId}#${item.date}#${item.session}`;
    const posted = expectedMarks.get(key);
    if (!posted) {
      problems.push(`${schoolId}: unexpected mark ${key}`);
      continue;
    }
    const ids = [...((item.eventIds as Set<string> | undefined) ?? [])].sort();
    const want = posted.map((event) => event.eventId).sort();
    if (JSON.stringify(ids) !== JSON.stringify(want)) problems.push(`${schoolId}: mark ${key} remembers ${ids.join(',')}, expected ${want.join(',')}`);
    const latest = posted.reduce((a, b) => (new Date(b.occurredAt) > new Date(a.occurredAt) ? b : a));
    if (item.eventId !== latest.eventId) problems.push(`${schoolId}: mark ${key} holds ${item.eventId}, expected the latest ${latest.eventId}`);
  }

  // Journal: exactly the posted ids, once each, in the school-week index partitions.
  const { byWeek } = tableDefinition.indexes;
  const storedJournal = (
    await Promise.all(
      workloadWeeks.map((week) =>
        queryAll(ref, {
          IndexName: byWeek.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': byWeek.partitionKey },
          ExpressionAttributeValues: { ':pk': weekPartition(schoolId, week) },
        }),
      ),
    )
  )
    .flat()
    .filter((item) => item.recordKind === 'event');
  const journalCounts: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const item of storedJournal) {
    journalCounts[item.type] = (journalCounts[item.type] ?? 0) + 1;
    seen.set(item.eventId, (seen.get(item.eventId) ?? 0) + 1);
    if (item.schoolId !== schoolId) problems.push(`${schoolId}: journal item of school ${item.schoolId} in this school's partition`);
  }
  for (const event of journalPosted) {
    const times = seen.get(event.eventId) ?? 0;
    if (times !== 1) problems.push(`${schoolId}: ${event.type} ${event.eventId} stored ${times} times`);
  }
  for (const eventId of seen.keys()) if (!unique.has(eventId)) problems.push(`${schoolId}: journal holds ${eventId}, never posted`);

  // Restorative sessions: one link per further pupil, beside the journal item.
  let participantLinks = 0;
  for (const event of journalPosted.filter((candidate) => candidate.type === 'restorative.session.recorded')) {
    const items = await queryAll(ref, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': journalKey(schoolId, event.eventId).pk },
      ConsistentRead: true,
    });
    const links = items.filter((item) => item.recordKind === 'participant').length;
    participantLinks += links;
    if (links !== pupilsOf(event).length - 1)
      problems.push(`${schoolId}: restorative ${event.eventId} has ${links} participant links, expected ${pupilsOf(event).length - 1}`);
  }

  // Roster: one profile per pupil, holding the latest update.
  const rosters = journalPosted.filter((event) => event.type === 'pupil.upserted');
  const latestRoster = new Map<string, ContractEvent>();
  for (const event of rosters) {
    const current = latestRoster.get(event.pupilId!);
    if (!current || new Date(event.occurredAt) > new Date(current.occurredAt)) latestRoster.set(event.pupilId!, event);
  }
  let profiles = 0;
  for (const [pupilId, event] of latestRoster) {
    const { Item } = await ref.client.send(new GetCommand({ TableName: ref.tableName, Key: pupilProfileKey(schoolId, pupilId), ConsistentRead: true }));
    if (!Item) problems.push(`${schoolId}: no profile for ${pupilId}`);
    else {
      profiles++;
      if (Item.eventId !== event.eventId) problems.push(`${schoolId}: profile ${pupilId} holds ${Item.eventId}, expected ${event.eventId}`);
    }
  }

  return { problems, counts: { marks: storedMarks.length, journal: journalCounts, participantLinks, profiles } };
}
