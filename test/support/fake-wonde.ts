import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Wonde API built from Wonde's public documentation (docs/mis-connector.md lists the
 * fact and source behind each behaviour): bearer-token auth, `/v1.0` paths, `include`,
 * `updated_after`, `per_page`, `meta.pagination.next`, date objects, deletions, attendance
 * codes; plus scripted failures (429 with Retry-After, 5xx, revoked token). Records are
 * paged over a snapshot taken at the first page, so `next` links stay stable while the test
 * changes data between pages. Started on a free loopback port; the base URL is configuration.
 */

export interface FakeDate {
  date: string;
  timezone_type: 3;
  timezone: string;
}

export type Resource = 'students' | 'students-leaver' | 'deletions' | 'attendance/session' | 'attendance-codes';
type StoredRecord = { id: string; updated_at: FakeDate } & Record<string, unknown>;

export interface ScriptedFailure {
  status: number;
  retryAfter?: string;
  /** Only requests for this resource fail (default: any). */
  resource?: Resource;
  /** Fail only once this many pages of the resource have been answered (default 0). */
  afterPages?: number;
}

export interface FakeWonde {
  baseUrl: string;
  schoolId: string;
  token: string;
  /** Requests answered, by status, and every URL asked for (for assertions). */
  requests: { url: string; status: number }[];
  /** The fake's own clock: `updated_at` of each change, and `updated_after` filtering. */
  now: () => Date;
  upsertStudent(student: Record<string, unknown> & { id: string }): void;
  /** Removes the student and records a deletion (Wonde's deletions endpoint). */
  deleteStudent(id: string): void;
  /** Moves the student to the leavers endpoint. */
  leaveStudent(id: string): void;
  mark(mark: { id: string; student: string; date: string; session: 'AM' | 'PM'; attendance_code: string }): void;
  setCodes(codes: { id: string; code: string; description?: string }[]): void;
  failNext(...failures: ScriptedFailure[]): void;
  clearFailures(): void;
  revoke(): void;
  stop(): Promise<void>;
}

export const wondeDate = (instant: Date, timezone = 'UTC'): FakeDate => ({
  date: instant.toISOString().replace('T', ' ').replace('Z', '000'),
  timezone_type: 3,
  timezone,
});

const parseWondeTimestamp = (value: string) => Date.parse(`${value.replace(' ', 'T')}Z`);
const instantOf = (date: FakeDate) => Date.parse(`${date.date.replace(' ', 'T').slice(0, 23)}Z`);

export async function startFakeWonde(options: { schoolId?: string; token?: string; now?: () => Date; defaultPageSize?: number } = {}): Promise<FakeWonde> {
  const schoolId = options.schoolId ?? 'A1930499544';
  let token: string | undefined = options.token ?? 'fake-wonde-token-0123456789abcdef';
  const clock = options.now ?? (() => new Date());
  // Strictly increasing stamps even when the clock stands still: every change is distinguishable.
  let last = 0;
  const stamp = () => {
    last = Math.max(last + 1, clock().getTime());
    return wondeDate(new Date(last));
  };
  const collections: Record<Resource, Map<string, StoredRecord>> = {
    students: new Map(),
    'students-leaver': new Map(),
    deletions: new Map(),
    'attendance/session': new Map(),
    'attendance-codes': new Map(),
  };
  const snapshots = new Map<string, StoredRecord[]>();
  const failures: ScriptedFailure[] = [];
  const requests: { url: string; status: number }[] = [];
  let deletionSeq = 0;
  const pagesServed = new Map<Resource, number>();

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ url: url.pathname + url.search, status });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const auth = request.headers.authorization ?? '';
    if (!token || auth !== `Bearer ${token}`) return answer(401, { error: 'invalid_token', error_description: 'The access token is invalid or revoked.' });
    const path = url.pathname.replace(/^\/v1\.0/, '');
    const resource = (path === '/attendance-codes' ? 'attendance-codes' : path.replace(`/schools/${schoolId}/`, '')) as Resource;
    if (!(resource in collections) || (resource !== 'attendance-codes' && !path.startsWith(`/schools/${schoolId}/`)))
      return answer(404, { error: 'not found' });
    const failure = failures.findIndex((f) => (!f.resource || f.resource === resource) && (pagesServed.get(resource) ?? 0) >= (f.afterPages ?? 0));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      return answer(f!.status, { error: 'scripted failure' }, f!.retryAfter !== undefined ? { 'retry-after': f!.retryAfter } : {});
    }
    const perPage = Number(url.searchParams.get('per_page') ?? options.defaultPageSize ?? 50);
    const page = Number(url.searchParams.get('page') ?? 1);
    let snapshotId = url.searchParams.get('snapshot');
    if (!snapshotId || !snapshots.has(snapshotId)) {
      const after = url.searchParams.get('updated_after');
      const since = after ? parseWondeTimestamp(after) : -Infinity;
      const rows = [...collections[resource].values()]
        .filter((row) => instantOf(row.updated_at) > since)
        .sort((a, b) => instantOf(a.updated_at) - instantOf(b.updated_at) || a.id.localeCompare(b.id));
      snapshotId = String(snapshots.size + 1);
      snapshots.set(snapshotId, structuredClone(rows));
    }
    const rows = snapshots.get(snapshotId)!;
    const data = rows.slice((page - 1) * perPage, page * perPage).map((row) => withIncludes(row, url.searchParams.get('include')));
    const more = page * perPage < rows.length;
    pagesServed.set(resource, (pagesServed.get(resource) ?? 0) + 1);
    const nextUrl = new URL(url.href.replace('http://fake', `http://127.0.0.1:${port}`));
    nextUrl.searchParams.set('page', String(page + 1));
    nextUrl.searchParams.set('snapshot', snapshotId);
    return answer(200, { data, meta: { pagination: { next: more ? nextUrl.href : null, previous: null, more, per_page: perPage, current_page: page } } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1.0`,
    schoolId,
    get token() {
      return token ?? '';
    },
    requests,
    now: clock,
    upsertStudent(student) {
      collections['students-leaver'].delete(student.id);
      collections.students.set(student.id, { ...student, updated_at: stamp() });
      // Back on roll: Wonde marks the earlier deletion restored.
      for (const deletion of collections.deletions.values()) {
        if (deletion.external_id === student.id && !deletion.restored_at) Object.assign(deletion, { restored_at: stamp() }, { updated_at: stamp() });
      }
    },
    deleteStudent(id) {
      if (!collections.students.delete(id) && !collections['students-leaver'].delete(id)) return;
      const at = stamp();
      const deletionId = `D${++deletionSeq}`;
      collections.deletions.set(deletionId, { id: deletionId, type: 'student', external_id: id, deleted_at: at, restored_at: null, updated_at: at });
    },
    leaveStudent(id) {
      const student = collections.students.get(id);
      if (!student) return;
      collections.students.delete(id);
      collections['students-leaver'].set(id, { ...student, updated_at: stamp() });
    },
    mark(mark) {
      collections['attendance/session'].set(mark.id, { ...mark, date: wondeDate(new Date(`${mark.date}T00:00:00Z`)), updated_at: stamp() });
    },
    setCodes(codes) {
      collections['attendance-codes'].clear();
      for (const code of codes) collections['attendance-codes'].set(code.id, { ...code, updated_at: stamp() });
    },
    failNext(...scripted) {
      failures.push(...scripted);
    },
    clearFailures() {
      failures.length = 0;
    },
    revoke() {
      token = undefined;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `include=contacts,…`: Wonde nests included relations as `{ "data": [...] }`; without it they are absent. */
function withIncludes(row: StoredRecord, include: string | null): Record<string, unknown> {
  const wanted = new Set((include ?? '').split(',').filter(Boolean));
  const { contacts, year, ...rest } = row as StoredRecord & { contacts?: unknown[]; year?: unknown };
  return {
    ...rest,
    ...(wanted.has('contacts') && contacts ? { contacts: { data: contacts } } : {}),
    ...(wanted.has('year') && year ? { year: { data: year } } : {}),
  };
}

/** A Wonde student with contacts as the fixtures use them (all names invented). */
export function wondeStudent(id: string, overrides: Partial<{ forename: string; surname: string; year: string; contacts: unknown[] }> = {}) {
  return {
    id,
    mis_id: `MIS-${id}`,
    upi: `UPI${id}`,
    forename: overrides.forename ?? 'Ada',
    surname: overrides.surname ?? 'Lovelace',
    legal_forename: null,
    legal_surname: null,
    date_of_birth: wondeDate(new Date('2015-03-01T00:00:00Z')),
    year: { code: overrides.year ?? '5', name: `Year ${overrides.year ?? '5'}` },
    contacts: overrides.contacts ?? [wondeContact(`${id}-C1`, { parentalResponsibility: true, priority: 1 })],
  };
}

export function wondeContact(
  id: string,
  options: { parentalResponsibility?: boolean | null; priority?: number; email?: string | null; relationship?: string } = {},
) {
  return {
    id,
    forename: 'Grace',
    surname: 'Lovelace',
    relationship: {
      relationship: options.relationship ?? 'Mother',
      bill_payer: null,
      lives_with_pupil: true,
      parental_responsibility: options.parentalResponsibility === undefined ? true : options.parentalResponsibility,
      priority: options.priority ?? 1,
    },
    contact_details: {
      data: {
        phones: { phone: null, primary: '07700 900123', home: null, work: null, mobile: '07700 900123' },
        emails: { email: options.email === undefined ? `${id.toLowerCase()}@example.org` : options.email, primary: null, home: null, work: null },
      },
    },
  };
}
