import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../events/catalogue';
import { WondeSource, retryAfterMs } from '../../shared/adapters/wonde/wonde-source';
import {
  codeTable,
  contactOf,
  type Mapped,
  mapDeletion,
  mapSessionAttendance,
  mapStudent,
  wondeEventId,
  wondeInstant,
} from '../../shared/domain/mis/wonde-mapping';
import { MisAccessError, MisPageGoneError, MisUnavailableError } from '../../shared/ports/mis';
import { wondeContact, wondeDate, wondeStudent } from '../support/fake-wonde';

/** The pure Wonde → catalogue mapping (no I/O), and the fetch adapter's decisions with a scripted fetch. */
const at = (iso: string, timezone = 'UTC') => wondeDate(new Date(iso), timezone);
/** The mapped event (failing the test when the record did not map). */
function eventOf(mapped: Mapped): any {
  if (mapped.ok !== true) throw new Error(`did not map: ${JSON.stringify(mapped)}`);
  return mapped.event;
}
const student = (overrides: Record<string, unknown> = {}) => ({
  ...wondeStudent('A100'),
  contacts: { data: [wondeContact('K1')] },
  year: { data: { code: '7' } },
  updated_at: at('2026-11-20T09:30:00Z'),
  ...overrides,
});

describe('students → pupil.upserted', () => {
  it('maps names, year, date of birth and contacts into an event the catalogue accepts', () => {
    const mapped = mapStudent(student(), 'students');
    expect(mapped.ok).toBe(true);
    const event = (mapped as { event: Record<string, unknown> }).event;
    expect(event).toMatchObject({
      type: 'pupil.upserted',
      pupilId: 'A100',
      occurredAt: '2026-11-20T09:30:00.000Z',
      data: { firstName: 'Ada', lastName: 'Lovelace', yearGroup: '7', dateOfBirth: '2015-03-01' },
    });
    expect(parseEvent(event).ok).toBe(true);
  });

  it('the same record and version give the same eventId; a new updated_at gives a new one', () => {
    const id = eventOf(mapStudent(student(), 'students')).eventId;
    expect(eventOf(mapStudent(student(), 'students')).eventId).toBe(id);
    expect(eventOf(mapStudent(student({ updated_at: at('2026-11-20T09:30:01Z') }), 'students')).eventId).not.toBe(id);
    expect(id).toBe('wonde.student.A100.20261120093000000');
  });

  it.each([
    ['Year 7', '7'],
    ['07', '7'],
    ['Reception', 'R'],
    ['N1', 'N1'],
  ])('year %s → %s; an unknown year is reported, never guessed', (code, expected) => {
    expect(eventOf(mapStudent(student({ year: { data: { code } } }), 'students')).data.yearGroup).toBe(expected);
    expect(mapStudent(student({ year: { data: { code: 'Year 14' } } }), 'students')).toEqual({
      ok: false,
      problem: { ref: 'students:A100', reason: 'year group cannot be mapped to N1, N2, R, 1..13' },
    });
  });

  it('a leaver keeps the roster with no contacts', () => {
    expect(eventOf(mapStudent(student(), 'leavers'))).toMatchObject({ eventId: expect.stringMatching(/^wonde\.leaver\./), data: { contacts: [] } });
  });

  it('contacts come in Wonde priority order', () => {
    const contacts = [wondeContact('K3', { priority: 3 }), wondeContact('K1', { priority: 1 }), wondeContact('K2', { priority: 2 })];
    const event = eventOf(mapStudent(student({ contacts: { data: contacts } }), 'students'));
    expect(event.data.contacts.map((c: { contactId: string }) => c.contactId)).toEqual(['K1', 'K2', 'K3']);
  });
});

describe('contacts: safe defaults', () => {
  it.each([
    [true, 'k@example.org', true],
    [null, 'k@example.org', false],
    [false, 'k@example.org', false],
    [true, null, false],
    [true, 'not an address', false],
  ])('parental responsibility %s, email %s → notify %s', (pr, email, notify) => {
    const contact = contactOf(wondeContact('K', { parentalResponsibility: pr, email }) as never)!;
    expect(contact.notify).toBe(notify);
    expect(contact.parentalResponsibility).toBe(pr === true);
  });

  it('a contact without a relationship object has no parental responsibility', () => {
    expect(contactOf({ id: 'K', forename: 'A', surname: 'B' } as never)).toMatchObject({
      parentalResponsibility: false,
      notify: false,
      relationship: 'contact',
    });
  });
});

describe('session attendance → attendance.marked through the school code list', () => {
  const codes = codeTable([
    { id: 'C1', code: '/' },
    { id: 'C2', code: 'N' },
    { id: 'C3', code: 'J' }, // pre-2024 code: not a DfE code now
  ]);
  const mark = (code: string) => ({
    id: 'M1',
    student: 'A100',
    date: at('2026-11-23T00:00:00Z'),
    session: 'PM',
    attendance_code: code,
    updated_at: at('2026-11-23T13:05:00Z'),
  });

  it('maps a code id to its DfE code', () => {
    const mapped = mapSessionAttendance(mark('C2'), codes) as { ok: true; event: Record<string, unknown> };
    expect(mapped.event).toMatchObject({ type: 'attendance.marked', pupilId: 'A100', data: { date: '2026-11-23', session: 'PM', code: 'N' } });
    expect(parseEvent(mapped.event).ok).toBe(true);
  });

  it('reports a code with no DfE equivalent and a code missing from the list', () => {
    expect(mapSessionAttendance(mark('C3'), codes)).toEqual({
      ok: false,
      problem: { ref: 'attendance:M1', reason: 'attendance code C3 has no DfE equivalent' },
    });
    expect(mapSessionAttendance(mark('C9'), codes)).toEqual({
      ok: false,
      problem: { ref: 'attendance:M1', reason: "attendance code C9 is not in the school's code list" },
    });
  });
});

describe('deletions', () => {
  const deletion = (overrides: Record<string, unknown> = {}) => ({
    id: 'D1',
    type: 'student',
    external_id: 'A100',
    deleted_at: at('2026-11-24T10:00:00Z'),
    restored_at: null,
    ...overrides,
  });
  const stored = () => ({ firstName: 'Ada', lastName: 'Lovelace', yearGroup: '7' });

  it('re-states the stored roster with no contacts, dated at the deletion', () => {
    expect(mapDeletion(deletion(), stored)).toMatchObject({
      ok: true,
      event: { type: 'pupil.upserted', pupilId: 'A100', occurredAt: '2026-11-24T10:00:00.000Z', data: { firstName: 'Ada', contacts: [] } },
    });
  });

  it('skips restored deletions, other types and pupils never stored', () => {
    expect(mapDeletion(deletion({ restored_at: at('2026-11-25T10:00:00Z') }), stored)).toEqual({ ok: 'skip' });
    expect(mapDeletion(deletion({ type: 'employee' }), stored)).toEqual({ ok: 'skip' });
    expect(mapDeletion(deletion(), () => undefined)).toEqual({ ok: 'skip' });
  });
});

describe('dates and ids', () => {
  it('converts a Wonde date in Europe/London to UTC, across the clock change', () => {
    expect(wondeInstant({ date: '2026-07-01 09:00:00.000000', timezone: 'Europe/London' })).toBe('2026-07-01T08:00:00.000Z');
    expect(wondeInstant({ date: '2026-12-01 09:00:00.000000', timezone: 'Europe/London' })).toBe('2026-12-01T09:00:00.000Z');
  });

  it('keeps event ids within the catalogue rules whatever the Wonde id', () => {
    expect(wondeEventId('student', 'A/1 2', at('2026-11-20T09:30:00Z'))).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});

describe('WondeSource (scripted fetch)', () => {
  const page = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers });
  const source = (answers: Response[], waits: number[] = [], options = {}) => {
    const urls: string[] = [];
    const headers: string[] = [];
    const wonde = new WondeSource({
      baseUrl: 'https://wonde.test/v1.0',
      sleep: async (ms) => void waits.push(ms),
      fetch: (async (url: URL, init: RequestInit) => {
        urls.push(String(url));
        headers.push(String((init.headers as Record<string, string>).authorization));
        return answers.shift()!;
      }) as typeof fetch,
      ...options,
    });
    return { wonde, urls, headers };
  };
  const connection = { misSchoolId: 'A1', token: 'secret-token-123456' };

  it('sends the bearer token, include and updated_after, and returns meta.pagination.next', async () => {
    const { wonde, urls, headers } = source([
      page({ data: [{ id: 'x' }], meta: { pagination: { next: 'https://wonde.test/v1.0/schools/A1/students?page=2', more: true } } }),
    ]);
    const result = await wonde.page(connection, { resource: 'students', updatedAfter: '2026-11-20T09:30:00.000Z' });
    expect(result).toEqual({ data: [{ id: 'x' }], next: 'https://wonde.test/v1.0/schools/A1/students?page=2' });
    expect(urls[0]).toBe(
      'https://wonde.test/v1.0/schools/A1/students?include=contacts%2Ccontacts.contact_details%2Cyear&updated_after=2026-11-20+09%3A30%3A00',
    );
    expect(headers[0]).toBe('Bearer secret-token-123456');
  });

  it('honours Retry-After (seconds or a date), then succeeds', async () => {
    const waits: number[] = [];
    const { wonde } = source([page({}, 429, { 'retry-after': '3' }), page({}, 503), page({ data: [] })], waits);
    await expect(wonde.page(connection, { resource: 'deletions' })).resolves.toEqual({ data: [] });
    expect(waits).toEqual([3000, 1000]);
    expect(retryAfterMs('Wed, 02 Dec 2026 00:00:10 GMT', Date.parse('2026-12-02T00:00:00Z'))).toBe(10_000);
  });

  it('401/403 is MisAccessError at once; retries running out or a Retry-After past the budget is MisUnavailableError', async () => {
    await expect(source([page({}, 403)]).wonde.page(connection, { resource: 'students' })).rejects.toBeInstanceOf(MisAccessError);
    await expect(source([page({}, 500), page({}, 500)], [], { maxAttempts: 2 }).wonde.page(connection, { resource: 'students' })).rejects.toBeInstanceOf(
      MisUnavailableError,
    );
    await expect(source([page({}, 429, { 'retry-after': '3600' })]).wonde.page(connection, { resource: 'students' })).rejects.toThrow(/past this run's budget/);
  });

  it('never sends the token to another host, and a gone next page restarts from the cursor', async () => {
    const { wonde, urls } = source([]);
    await expect(wonde.page(connection, { resource: 'students', next: 'https://evil.test/steal' })).rejects.toBeInstanceOf(MisPageGoneError);
    expect(urls).toEqual([]);
    await expect(source([page({}, 410)]).wonde.page(connection, { resource: 'students', next: 'https://wonde.test/v1.0/x?page=9' })).rejects.toBeInstanceOf(
      MisPageGoneError,
    );
  });
});
