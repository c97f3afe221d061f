import * as z from 'zod';
import { webhookBody } from '../../events/catalogue';
import { addDays, dateInZone, isIsoWeek, isoWeekOf } from '../domain/calendar';
import { mayBeRestricted, nothingRestricted, presentFor, recordsDecidedOn, restrictedIncidents, toEntry, type ChronologyEntry } from '../domain/chronology';
import { mayAct, refuseForStaff, type Principal, type StaffAction } from '../domain/staff-access';
import type { ChronologyItem, Ports } from '../ports';
import { batchAnswer, isJson, maxBodyBytes, storeEvents } from './receive-webhook';

/** Staff API use cases (contract section 6), independent of HTTP and of DynamoDB. */

export type StaffApiDependencies = Pick<Ports, 'staffReads' | 'schools' | 'events' | 'clock'>;

export type StaffResponse = { status: number; body: unknown };

/** The same body whether or not the school or pupil exists, so ids cannot be probed. */
export const forbidden: StaffResponse = { status: 403, body: { error: 'forbidden' } };
const badRequest = (error: string): StaffResponse => ({ status: 400, body: { error } });

export const maxSearchResults = 50;
export const chronologyPageSize = { default: 50, max: 100 } as const;

const searchText = z.string().max(100);
const pageLimit = z.coerce.number().int().min(1).max(chronologyPageSize.max);

const guard = (principal: Principal, action: StaffAction, schoolId: string) => !mayAct(principal, action, schoolId);

export async function searchPupils(principal: Principal, schoolId: string, q: string | undefined, deps: StaffApiDependencies): Promise<StaffResponse> {
  if (guard(principal, 'searchPupils', schoolId)) return forbidden;
  const text = searchText.safeParse(q ?? '');
  if (!text.success) return badRequest('q must be at most 100 characters');
  const pupils = await deps.staffReads.searchRoster(schoolId, text.data.trim().toLowerCase(), maxSearchResults);
  return { status: 200, body: { pupils: pupils.map(({ pupilId, firstName, lastName, yearGroup }) => ({ pupilId, firstName, lastName, yearGroup })) } };
}

export async function readChronology(
  principal: Principal,
  schoolId: string,
  pupilId: string,
  query: { cursor?: string; limit?: string },
  deps: StaffApiDependencies,
): Promise<StaffResponse> {
  if (guard(principal, 'readChronology', schoolId)) return forbidden;
  const limit = pageLimit.safeParse(query.limit ?? chronologyPageSize.default);
  if (!limit.success) return badRequest(`limit must be an integer from 1 to ${chronologyPageSize.max}`);
  const [page, profile] = await Promise.all([
    deps.staffReads.chronologyPage(schoolId, pupilId, limit.data, query.cursor),
    deps.staffReads.pupil(schoolId, pupilId),
  ]);
  if (page === 'bad-cursor') return badRequest('cursor is not one this API issued for this pupil');
  const entries = page.items.map(toEntry).filter((entry): entry is ChronologyEntry => entry !== undefined);
  const needsIncidents = principal.role !== 'dsl' && page.items.some(mayBeRestricted);
  const restricted = needsIncidents ? await restrictions(schoolId, pupilId, page.items, deps) : nothingRestricted;
  const visible = presentFor(principal.role, entries, restricted);
  if (!visible) return forbidden;
  return {
    status: 200,
    body: {
      pupilId,
      pupil: profile ? pupilView(profile) : null,
      entries: visible,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    },
  };
}

/**
 * Only when the page has something an incident could restrict: the pupil's incidents (the
 * second Query) and, beside it, the records the page's decisions are about (BatchGetItem).
 */
async function restrictions(schoolId: string, pupilId: string, items: ChronologyItem[], deps: StaffApiDependencies) {
  const [incidents, decidedRecords] = await Promise.all([
    deps.staffReads.incidents(schoolId, pupilId),
    deps.staffReads.recordsFollowed(schoolId, recordsDecidedOn(items)),
  ]);
  return restrictedIncidents(incidents, decidedRecords);
}

/** The roster record without index attributes (contacts are staff-visible). */
function pupilView(profile: Record<string, unknown>) {
  const { pk, sk, gsi1pk, gsi1sk, searchText: _search, expiresAt, recordKind, schoolId, eventId, ...view } = profile;
  return view;
}

export async function readFigures(principal: Principal, schoolId: string, week: string, deps: StaffApiDependencies): Promise<StaffResponse> {
  if (guard(principal, 'readFigures', schoolId)) return forbidden;
  if (!isIsoWeek(week)) return badRequest('week must be YYYY-Www, e.g. 2026-W47');
  const figures = await deps.staffReads.figures(schoolId, week);
  return figures ? { status: 200, body: figures } : { status: 404, body: { error: 'that week has not been rolled up' } };
}

/** Trust users: the schools whose figures they may read (every school). */
export async function listSchools(principal: Principal, deps: StaffApiDependencies): Promise<StaffResponse> {
  const schools = principal.role === 'trust' ? await deps.schools.list() : [];
  const own = principal.schoolId ? await deps.schools.get(principal.schoolId) : undefined;
  return { status: 200, body: { schools: [...schools, ...(own ? [own] : [])].map(({ schoolId, name, timezone }) => ({ schoolId, name, timezone })) } };
}

/**
 * `POST /v1/schools/{schoolId}/records`: the webhook's core (same validation, idempotency,
 * writes and effects) with the signed-in user as `recordedBy` and MIS-only types refused.
 */
export async function postRecords(
  principal: Principal,
  schoolId: string,
  body: Buffer,
  contentType: string | undefined,
  deps: StaffApiDependencies,
): Promise<StaffResponse> {
  if (guard(principal, 'postRecords', schoolId)) return forbidden;
  if (!isJson(contentType)) return { status: 415, body: { error: 'Content-Type must be application/json' } };
  if (body.length > maxBodyBytes) return { status: 413, body: { error: 'body is over 1 MiB' } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return badRequest('body is not valid JSON');
  }
  const shape = webhookBody.safeParse(parsed);
  if (!shape.success) return badRequest('body must be {"events": [...]} with 1 to 500 events');
  const school = await deps.schools.get(schoolId);
  // A principal's school always exists unless it was removed after the user was added.
  if (!school) return forbidden;
  return batchAnswer(
    await storeEvents(shape.data.events, { schoolId, timezone: school.timezone }, deps, deps.clock.now(), {
      recordedBy: principal.userId,
      refuseType: refuseForStaff,
    }),
  );
}

/** How far back caseload and follow-ups look: a term of weeks, each one Query per type. */
export const lookBackWeeks = 13;

function recentWeeks(today: string): string[] {
  return Array.from({ length: lookBackWeeks }, (_, index) => isoWeekOf(addDays(today, -7 * index)));
}

const dataOf = (item: ChronologyItem) => (item.data ?? {}) as Record<string, unknown>;

/**
 * My caseload: interventions I recorded the start of in the last term that have not ended,
 * with their sessions so far.
 */
export async function caseload(principal: Principal, schoolId: string, deps: StaffApiDependencies): Promise<StaffResponse> {
  if (guard(principal, 'postRecords', schoolId)) return forbidden;
  const school = await deps.schools.get(schoolId);
  if (!school) return forbidden;
  const items = await deps.staffReads.weekRecords(schoolId, recentWeeks(dateInZone(deps.clock.now(), school.timezone)), [
    'intervention.started',
    'intervention.session.recorded',
    'intervention.ended',
  ]);
  const ended = new Set(items.filter((item) => item.type === 'intervention.ended').map((item) => String(dataOf(item).interventionId)));
  const interventions = items
    .filter((item) => item.type === 'intervention.started' && item.recordedBy === principal.userId && !ended.has(String(dataOf(item).interventionId)))
    .map((item) => {
      const data = dataOf(item);
      const sessions = items.filter((other) => other.type === 'intervention.session.recorded' && dataOf(other).interventionId === data.interventionId);
      return {
        interventionId: data.interventionId,
        pupilIds: item.pupilIds,
        kind: data.kind,
        title: data.title,
        startDate: data.startDate,
        plannedSessions: data.plannedSessions,
        sessions: sessions.length,
      };
    });
  return { status: 200, body: { interventions } };
}

/** Restorative follow-ups of the school due from two weeks ago to a week ahead, soonest first. */
export async function followUps(principal: Principal, schoolId: string, deps: StaffApiDependencies): Promise<StaffResponse> {
  if (guard(principal, 'postRecords', schoolId)) return forbidden;
  const school = await deps.schools.get(schoolId);
  if (!school) return forbidden;
  const today = dateInZone(deps.clock.now(), school.timezone);
  const items = await deps.staffReads.weekRecords(schoolId, recentWeeks(today), ['restorative.session.recorded']);
  const due = items
    .map((item) => ({ item, data: dataOf(item) }))
    .filter(({ data }) => typeof data.followUpDate === 'string' && data.followUpDate >= addDays(today, -14) && data.followUpDate <= addDays(today, 7))
    .map(({ item, data }) => ({
      eventId: item.eventId,
      sessionId: data.sessionId,
      date: data.date,
      followUpDate: data.followUpDate,
      pupilIds: item.pupilIds,
      format: data.format,
    }))
    .sort((a, b) => String(a.followUpDate).localeCompare(String(b.followUpDate)));
  return { status: 200, body: { followUps: due, today } };
}
