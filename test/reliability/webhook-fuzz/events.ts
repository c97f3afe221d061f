import fc from 'fast-check';
import { dateInZone, isoWeekOf } from '../../../shared/domain/calendar';
import { v1Types } from './events-v1';
import { v2Types } from './events-v2';
import { bool, instant, shortId, type TypeSpec } from './values';

/** Valid events of every type of the catalogue, and what each is filed under. */

export const fuzzSchool = { schoolId: 'fuzz', timezone: 'Europe/London' };

export const typeSpecs = { ...v1Types, ...v2Types } satisfies Record<string, TypeSpec>;
export type EventType = keyof typeof typeSpecs;
const eventTypes = Object.keys(typeSpecs) as EventType[];

export type RawEvent = Record<string, unknown>;

/** A valid event of `type` (or any type), without its eventId yet. */
export const validEvent = (type?: EventType): fc.Arbitrary<RawEvent> =>
  (type ? fc.constant(type) : fc.constantFrom(...eventTypes)).chain((eventType) =>
    fc.record({ occurredAt: instant, pupilId: shortId, data: typeSpecs[eventType].data, withPupil: bool }).map(({ occurredAt, pupilId, data, withPupil }) => ({
      type: eventType,
      occurredAt,
      // Restorative sessions name pupils as participants; a top-level pupilId is optional there.
      ...(eventType !== 'restorative.session.recorded' || withPupil ? { pupilId } : {}),
      data,
    })),
  );

/**
 * Every event is filed under a date and ISO week (shared/domain/records.ts, eventDate): the
 * data's date, the day a restrictive intervention started or an incident happened, or else
 * the date of `occurredAt`, in the school's timezone. YYYY-MM-DD and RFC 3339 allow year 0000
 * (and an offset can reach 10000), which have no YYYY-MM-DD / YYYY-Www: the webhook rejects
 * those at the field the date comes from.
 */
function filedUnder(event: RawEvent): { date: string; path: string } {
  const data = event.data as Record<string, string>;
  const inZone = (at: string) => dateInZone(new Date(at), fuzzSchool.timezone);
  switch (event.type as EventType) {
    case 'intervention.started':
      return { date: data.startDate!, path: 'data.startDate' };
    case 'intervention.ended':
      return { date: data.endDate!, path: 'data.endDate' };
    case 'restrictive.intervention.recorded':
      return { date: inZone(data.startedAt!), path: 'data.startedAt' };
    case 'incident.recorded':
      return data.happenedAt ? { date: inZone(data.happenedAt), path: 'data.happenedAt' } : { date: inZone(event.occurredAt as string), path: 'occurredAt' };
    case 'pupil.upserted':
      return { date: inZone(event.occurredAt as string), path: 'occurredAt' };
    default:
      return { date: data.date!, path: 'data.date' };
  }
}

/** The path the webhook rejects an event at because its date cannot be filed; undefined if it can. */
export function unfileableAt(event: RawEvent): string | undefined {
  const { date, path } = filedUnder(event);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{4}-W\d{2}$/.test(isoWeekOf(date)) ? undefined : path;
}
