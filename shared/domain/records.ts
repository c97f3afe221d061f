import type { EventType, TrackerEvent } from '../../events/catalogue';
import { pupilIdsOf } from '../../events/catalogue';
import { dateInZone, isoWeekOf } from './calendar';
import { attendanceCategory } from '../../events/attendance-codes';
import {
  attendanceMarkKey,
  chronologyIndex,
  journalKey,
  incidentVersionKey,
  journalParticipantKey,
  pupilPartition,
  pupilProfileKey,
  rosterIndex,
  timelineSortKey,
  weekEventSortKey,
  weekPartition,
} from './keys';
import { expiresAt, type RetainedRecord } from './retention';
import { deriveSdq } from './sdq';

/**
 * How one accepted event is stored: pure, so the rules (what is idempotent on what, what
 * "latest wins" compares) are unit-tested without DynamoDB. The store adapter executes it.
 */

export type Key = { pk: string; sk: string };
/** A row as the table holds it, before any typed reading (the one name for an untyped row). */
export type StoredItem = Record<string, unknown>;
/** A row to write: a stored item with its key. */
export type Item = Key & StoredItem;

/** Replace-if-newer item: kept only while no later `occurredAt` has been applied to it. */
export interface LatestWins {
  key: Key;
  attributes: Record<string, unknown>;
  occurredAtUtc: string;
}

export type WritePlan =
  /** Attendance: the mark itself is the idempotency record (its `eventIds`), one write per mark. */
  | { kind: 'mark'; eventId: string; mark: LatestWins }
  /** Everything else: an immutable journal item keyed by eventId, plus what hangs off it. */
  | { kind: 'journal'; eventId: string; journal: Item; participants: Item[]; profile?: LatestWins; incidentVersion?: Item };

export interface SchoolContext {
  schoolId: string;
  timezone: string;
}

/** The calendar date an event belongs to, in the school's timezone when only an instant is given. */
export function eventDate(event: TrackerEvent, timezone: string): string {
  switch (event.type) {
    case 'attendance.marked':
    case 'intervention.session.recorded':
    case 'restorative.session.recorded':
      return event.data.date;
    case 'intervention.started':
      return event.data.startDate;
    case 'intervention.ended':
      return event.data.endDate;
    case 'outcome.measure.recorded':
      return event.data.date;
    case 'restrictive.intervention.recorded':
      // The statutory record belongs to the day it happened, not the day it was posted.
      return dateInZone(new Date(event.data.startedAt), timezone);
    case 'pupil.upserted':
      return dateInZone(new Date(event.occurredAt), timezone);
    case 'incident.recorded':
      // When it happened, not when this version was recorded: amendments file under the same week.
      return dateInZone(new Date(event.data.happenedAt ?? event.occurredAt), timezone);
  }
}

const retentionByType: Record<EventType, RetainedRecord> = {
  'pupil.upserted': 'rosterReceipt',
  'attendance.marked': 'attendanceMark',
  'intervention.started': 'interventionRecord',
  'intervention.session.recorded': 'interventionRecord',
  'intervention.ended': 'interventionRecord',
  'restorative.session.recorded': 'restorativeRecord',
  'incident.recorded': 'incident',
  'restrictive.intervention.recorded': 'restrictiveIntervention',
  'outcome.measure.recorded': 'outcomeMeasure',
};

/** Absences appear on a pupil's chronology; present and not-possible marks do not. */
const isAbsence = (code: Parameters<typeof attendanceCategory>[0]) => attendanceCategory(code).endsWith('Absence');

/** Lower-case name and id, so the staff's pupil search is one case-insensitive `contains`. */
export const rosterSearchText = (pupilId: string, firstName: string, lastName: string) => `${firstName} ${lastName} ${pupilId}`.toLowerCase();

/**
 * `recordedBy`: the signed-in user who posted the event through the staff API (never from
 * the body: the catalogue strips unknown fields); absent for events from the MIS.
 */
export function planWrite(event: TrackerEvent, school: SchoolContext, receivedAt: Date, recordedBy?: string): WritePlan {
  const { schoolId } = school;
  const occurredAtUtc = new Date(event.occurredAt).toISOString();
  const date = eventDate(event, school.timezone);
  const week = isoWeekOf(date);
  const common = {
    recordKind: 'event',
    schoolId,
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    occurredAtUtc,
    date,
    week,
    receivedAt: receivedAt.toISOString(),
    expiresAt: expiresAt(retentionByType[event.type], date),
    ...(recordedBy ? { recordedBy } : {}),
  };

  if (event.type === 'attendance.marked') {
    const { data } = event;
    return {
      kind: 'mark',
      eventId: event.eventId,
      mark: {
        key: attendanceMarkKey(schoolId, week, event.pupilId, data.date, data.session),
        occurredAtUtc,
        attributes: {
          ...common,
          pupilId: event.pupilId,
          session: data.session,
          code: data.code,
          minutesLate: data.minutesLate,
          // A corrected mark that is no longer an absence leaves the chronology (undefined = REMOVE).
          ...(isAbsence(data.code)
            ? chronologyIndex(schoolId, event.pupilId, occurredAtUtc, `A#${data.date}#${data.session}`)
            : { gsi3pk: undefined, gsi3sk: undefined }),
        },
      },
    };
  }

  const pupilIds = pupilIdsOf(event);
  const [firstPupil, ...otherPupils] = pupilIds as [string, ...string[]];
  const timeline = timelineSortKey(event, occurredAtUtc);
  const journal: Item = {
    ...journalKey(schoolId, event.eventId),
    ...common,
    pupilIds,
    gsi1pk: pupilPartition(schoolId, firstPupil),
    gsi1sk: timeline,
    gsi2pk: weekPartition(schoolId, week),
    gsi2sk: weekEventSortKey(event.type, occurredAtUtc, event.eventId),
  };

  if (event.type === 'pupil.upserted') {
    // The roster lives on the pupil's profile; the journal only remembers the eventId.
    return {
      kind: 'journal',
      eventId: event.eventId,
      journal,
      participants: [],
      profile: {
        key: pupilProfileKey(schoolId, event.pupilId),
        occurredAtUtc,
        attributes: {
          recordKind: 'pupil',
          schoolId,
          pupilId: event.pupilId,
          eventId: event.eventId,
          occurredAtUtc,
          ...event.data,
          ...rosterIndex(schoolId, event.pupilId),
          searchText: rosterSearchText(event.pupilId, event.data.firstName, event.data.lastName),
          expiresAt: expiresAt('pupilProfile', date),
        },
      },
    };
  }

  journal.data = event.data;
  Object.assign(journal, chronologyIndex(schoolId, firstPupil, occurredAtUtc, `E#${event.eventId}`));
  let incidentVersion: Item | undefined;
  if (event.type === 'incident.recorded') {
    journal.safeguardingConcern = event.data.safeguardingConcern === true;
    incidentVersion = {
      ...incidentVersionKey(schoolId, event.data.incidentId, occurredAtUtc, event.eventId),
      recordKind: 'incident-version',
      schoolId,
      incidentId: event.data.incidentId,
      eventId: event.eventId,
      occurredAtUtc,
      week,
      safeguardingConcern: journal.safeguardingConcern,
      expiresAt: journal.expiresAt,
    };
  }
  // Routing flag for the bus (the decision only; the withholding reason stays in `data`).
  if (event.type === 'restrictive.intervention.recorded') journal.parentReport = event.data.parentReport === 'send' ? 'send' : 'withhold';
  // Derived once, from the one cut-off table, so the export, chronology and rollup agree.
  if (event.type === 'outcome.measure.recorded') Object.assign(journal, deriveSdq(event.data.scores));
  return {
    kind: 'journal',
    eventId: event.eventId,
    journal,
    ...(incidentVersion ? { incidentVersion } : {}),
    // Each further pupil of a restorative session gets a small link item on their own timeline.
    participants: otherPupils.map((pupilId) => ({
      ...journalParticipantKey(schoolId, event.eventId, pupilId),
      recordKind: 'participant',
      schoolId,
      eventId: event.eventId,
      pupilId,
      expiresAt: journal.expiresAt,
      gsi1pk: pupilPartition(schoolId, pupilId),
      gsi1sk: timeline,
      ...chronologyIndex(schoolId, pupilId, occurredAtUtc, `E#${event.eventId}`),
    })),
  };
}
