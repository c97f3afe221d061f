import { codeTable, mapDeletion, mapSessionAttendance, mapStudent, type Mapped, type MappingProblem, type StoredPupil } from '../domain/mis/wonde-mapping';
import { logger } from '../logger';
import type { Clock, EventStore, SchoolDirectory } from '../ports';
import {
  MisAccessError,
  MisPageGoneError,
  MisUnavailableError,
  misResources,
  type MisAdapters,
  type MisConnection,
  type MisPage,
  type MisResource,
} from '../ports/mis';
import { mapWithConcurrency } from '../util/concurrency';
import { storeEvents } from './receive-webhook';

/**
 * One school's sync (contract section 9): read each resource changed since its cursor,
 * page by page, map through the pure core and store through the webhook's core. Progress
 * is saved after each page is stored (a checkpoint: the next page's pointer), and a
 * resource's cursor moves only once its last page is stored, so a crash, a timeout or a
 * 429/5xx that outlasts the retries loses nothing: the next run resumes and whatever it
 * reads twice is a `duplicate`.
 */

export interface SyncDependencies {
  events: EventStore;
  schools: SchoolDirectory;
  clock: Clock;
  mis: MisAdapters;
}

export interface SyncOptions {
  /** Re-read this much before the previous pass started: clock skew between us and Wonde costs duplicates, not losses. */
  overlapMs?: number;
  /** Epoch ms after which no new page is started (the Lambda's remaining time less a margin). */
  deadline?: number;
  /** Ignore the cursors and read everything (after a school fixes its code list, say). */
  full?: boolean;
}

export type SyncStatus = 'complete' | 'partial' | 'revoked' | 'unavailable' | 'not-connected';

export interface SyncResult {
  schoolId: string;
  status: SyncStatus;
  /** Events stored by this run, by type. */
  events: Record<string, number>;
  /** Events read again that were stored before, by type. */
  duplicates: Record<string, number>;
  /** Up to here every change is stored (the oldest resource cursor); absent before the first complete pass. */
  cursor?: string;
  cursors: Partial<Record<MisResource, string>>;
  pages: number;
  /** Records not stored: unmappable codes, year groups, invalid data. Wonde ids only. */
  problems: MappingProblem[];
  reason?: string;
}

/** The connection left `connected` while this sync ran (a revoke wins over progress). */
class ConnectionChangedError extends Error {
  override name = 'ConnectionChangedError';
}

const defaultOverlapMs = 5 * 60_000;
/** Problems kept in a result (the count is exact; the list is for a person to start from). */
const maxListedProblems = 100;

export async function syncSchool(schoolId: string, deps: SyncDependencies, options: SyncOptions = {}): Promise<SyncResult> {
  const connection = await deps.mis.connections.get(schoolId);
  const result: SyncResult = { schoolId, status: 'complete', events: {}, duplicates: {}, cursors: { ...connection?.cursors }, pages: 0, problems: [] };
  const school = await deps.schools.get(schoolId);
  if (connection?.state !== 'connected' || !school) {
    return finish(result, 'not-connected', connection ? `connection is ${connection.state}` : 'no MIS connection');
  }
  const token = await deps.mis.tokens.get(schoolId);
  if (!token) return revoke(result, deps, 'no Wonde token is stored');

  const context = { schoolId, timezone: school.timezone };
  const cursors = options.full ? {} : { ...connection.cursors };
  const resumeAt = options.full ? undefined : connection.checkpoint;
  let problemCount = 0;
  let codes = new Map<string, string | undefined>();
  const save = async (progress: Pick<MisConnection, 'cursors' | 'checkpoint' | 'lastSyncAt'>) => {
    if (!(await deps.mis.connections.saveProgress(schoolId, progress))) throw new ConnectionChangedError();
  };

  try {
    for (const resource of misResources) {
      const resuming = resumeAt?.resource === resource ? resumeAt : undefined;
      const startedAt = resuming?.startedAt ?? new Date(deps.clock.now().getTime() - (options.overlapMs ?? defaultOverlapMs)).toISOString();
      // Codes are a small list read whole each time: every mark is mapped through all of them.
      const updatedAfter = resource === 'attendance-codes' ? undefined : cursors[resource];
      let next = resource === 'attendance-codes' ? undefined : resuming?.next;
      const codeRecords: unknown[] = [];
      do {
        if (options.deadline !== undefined && Date.now() > options.deadline)
          return finish(result, 'partial', 'time budget used; the next run resumes here', cursors);
        let page: MisPage;
        try {
          page = await deps.mis.source.page({ misSchoolId: connection.misSchoolId, token }, { resource, updatedAfter, ...(next ? { next } : {}) });
        } catch (error) {
          if (!(error instanceof MisPageGoneError) || !next) throw error;
          // A stale page pointer: read the resource again from its cursor (duplicates, no loss).
          next = undefined;
          continue;
        }
        result.pages++;
        if (resource === 'attendance-codes') codeRecords.push(...page.data);
        else {
          const mapped = await mapPage(resource, page.data, codes, schoolId, deps);
          const rawEvents = mapped.flatMap((item) => (item.ok === true ? [item.event] : []));
          const problems = mapped.flatMap((item) => (item.ok === false ? [item.problem] : []));
          const stored = await storeEvents(rawEvents, context, deps, deps.clock.now());
          stored.forEach((outcome, index) => {
            const type = String(rawEvents[index]!.type);
            if (outcome.status === 'rejected')
              problems.push({ ref: `${resource}:${outcome.eventId}`, reason: outcome.errors?.map((e) => `${e.path} ${e.message}`).join('; ') ?? 'rejected' });
            else bump(outcome.status === 'accepted' ? result.events : result.duplicates, type);
          });
          problemCount += problems.length;
          result.problems.push(...problems.slice(0, Math.max(0, maxListedProblems - result.problems.length)));
        }
        next = page.next;
        if (next && resource !== 'attendance-codes') {
          await save({ cursors, checkpoint: { resource, next, startedAt } });
        }
      } while (next);
      if (resource === 'attendance-codes') codes = codeTable(codeRecords);
      else {
        cursors[resource] = startedAt;
        await save({ cursors, lastSyncAt: deps.clock.now().toISOString() });
      }
    }
  } catch (error) {
    if (error instanceof ConnectionChangedError) return finish(result, 'not-connected', 'the connection changed during the sync');
    if (error instanceof MisAccessError) return revoke(result, deps, `Wonde answered ${error.status}`);
    if (error instanceof MisUnavailableError) {
      logger.warn('MIS unavailable; the next run resumes from the checkpoint', { schoolId, errorMessage: error.message });
      return finish(result, 'unavailable', error.message, cursors);
    }
    throw error;
  } finally {
    if (problemCount > 0) logger.warn('MIS records not stored', { schoolId, problems: problemCount, first: result.problems.slice(0, 5) });
  }
  return finish(result, 'complete', undefined, cursors);
}

async function mapPage(
  resource: MisResource,
  data: unknown[],
  codes: ReadonlyMap<string, string | undefined>,
  schoolId: string,
  deps: SyncDependencies,
): Promise<Mapped[]> {
  switch (resource) {
    case 'students':
    case 'leavers':
      return data.map((raw) => mapStudent(raw, resource));
    case 'attendance':
      return data.map((raw) => mapSessionAttendance(raw, codes));
    case 'deletions': {
      // The roster a deletion keeps is read per pupil (GetItem); never a Scan.
      const ids = data.map((raw) => String((raw as { external_id?: unknown })?.external_id ?? ''));
      const stored = new Map<string, StoredPupil | undefined>();
      await mapWithConcurrency([...new Set(ids.filter(Boolean))], 16, async (pupilId) => stored.set(pupilId, await deps.mis.roster.get(schoolId, pupilId)));
      return data.map((raw) => mapDeletion(raw, (pupilId) => stored.get(pupilId)));
    }
    default:
      return [];
  }
}

async function revoke(result: SyncResult, deps: SyncDependencies, reason: string): Promise<SyncResult> {
  const now = deps.clock.now().toISOString();
  if (await deps.mis.connections.setState(result.schoolId, 'revoked', reason, now)) {
    await deps.mis.alerts.alert({
      schoolId: result.schoolId,
      subject: `Wonde access stopped for school ${result.schoolId}`,
      detail: `The sync stopped: ${reason}. Nothing more is read until the school approves the app again in Wonde and trust IT runs \`tracker school connect\`.`,
    });
  }
  return finish(result, 'revoked', reason);
}

function finish(result: SyncResult, status: SyncStatus, reason?: string, cursors?: Partial<Record<MisResource, string>>): SyncResult {
  if (cursors) result.cursors = { ...cursors };
  const dataCursors = misResources.filter((r) => r !== 'attendance-codes').map((r) => result.cursors[r]);
  const cursor = dataCursors.every(Boolean) ? (dataCursors as string[]).sort()[0] : undefined;
  return { ...result, status, ...(reason ? { reason } : {}), ...(cursor ? { cursor } : {}) };
}

const bump = (counts: Record<string, number>, type: string) => void (counts[type] = (counts[type] ?? 0) + 1);
