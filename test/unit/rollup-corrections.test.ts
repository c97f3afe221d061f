import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, weekStart } from '../../shared/domain/calendar';
import { refoldStart, weekMayBeRolledUp, weeksToMarkChanged } from '../../shared/domain/changed-weeks';
import { latestVersion, type IncidentVersion } from '../../shared/domain/incident-versions';
import { changedFigures } from '../../shared/domain/rollup/revisions';
import type { JournalRecord, MarkRecord, WeekRecords } from '../../shared/domain/rollup/types';
import type { SchoolProfile } from '../../shared/ports';
import { runSchoolRollup, type SchoolRollupDeps } from '../../shared/services/rollups';
import { MemoryStore } from '../support/memory-rollup-store';

/**
 * Issue 11, part 1: late corrections. Records (register marks with corrections, incidents
 * with amendments that may move week) arrive in any order, interleaved with the Monday
 * rollups; each arrival marks its week changed as the webhook does. After one more rollup,
 * every stored week's figures equal those of one rollup chain over the final data.
 */
const weeks = ['2026-W45', '2026-W46', '2026-W47', '2026-W48'];
const finalWeek = '2026-W49';
const school: SchoolProfile = { schoolId: 'oak', name: 'Oak', leaders: ['head@oak.example.org'], timezone: 'Europe/London', createdAt: '2026-09-01T00:00:00Z' };

type Arrival =
  | { kind: 'mark'; week: string; mark: MarkRecord; version: number }
  | { kind: 'incident'; week: string; record: JournalRecord; version: IncidentVersion };

/** What the table holds after some arrivals: the latest mark per key, every incident version. */
class Table {
  marks = new Map<string, { week: string; mark: MarkRecord; version: number }>();
  incidents: { week: string; record: JournalRecord; version: IncidentVersion }[] = [];

  apply(arrival: Arrival) {
    if (arrival.kind === 'incident') return void this.incidents.push(arrival);
    const key = `${arrival.mark.pupilId}#${arrival.mark.date}#${arrival.mark.session}`;
    const stored = this.marks.get(key);
    if (!stored || stored.version < arrival.version) this.marks.set(key, arrival); // later occurredAt wins
  }

  /** The weeks an arrival marks changed: its own, and for an incident every version's. */
  weeksOf(arrival: Arrival): string[] {
    if (arrival.kind === 'mark') return [arrival.week];
    return this.incidents.filter((entry) => entry.version.incidentId === arrival.version.incidentId).map((entry) => entry.week);
  }

  recordsOf(week: string): WeekRecords {
    const incidents = this.incidents.filter((entry) => entry.week === week);
    const ids = new Set(incidents.map((entry) => entry.version.incidentId));
    return {
      marks: [...this.marks.values()].filter((entry) => entry.week === week).map((entry) => entry.mark),
      interventions: [],
      restorative: [],
      incidents: incidents.map((entry) => entry.record),
      incidentVersions: Object.fromEntries(
        [...ids].map((id) => [id, this.incidents.filter((entry) => entry.version.incidentId === id).map((entry) => entry.version)]),
      ),
      notifications: [],
    };
  }

  load(store: MemoryStore) {
    for (const week of [...weeks, finalWeek]) store.records.set(`oak#${week}`, this.recordsOf(week));
  }
}

function deps(store: MemoryStore, now: () => Date): SchoolRollupDeps {
  return {
    rollups: store,
    schools: { get: async () => school, list: async () => [school], create: async () => false },
    publisher: { publish: async () => {} },
    mailer: { send: async () => ({ messageId: 'm' }) },
    clock: { now },
    settings: { trustLeaders: [], trustName: 'Trust' },
  };
}
const rollup = (store: MemoryStore, week: string, now: Date) =>
  runSchoolRollup(
    deps(store, () => now),
    { schoolId: 'oak', week, sendEmail: false },
  );
/** Monday 07:00 after the week: when the schedule runs it. */
const mondayAfter = (week: string) => new Date(`${addDays(weekStart(week), 7)}T07:00:00Z`);

const codes = ['/', 'L', 'N', 'I', 'U', 'M', 'D', 'K'];
const markArb = fc.record({
  pupil: fc.constantFrom('P1', 'P2', 'P3'),
  week: fc.constantFrom(...weeks),
  day: fc.integer({ min: 0, max: 4 }),
  session: fc.constantFrom<'AM' | 'PM'>('AM', 'PM'),
  codes: fc.array(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 }),
});
const incidentArb = fc.record({
  pupil: fc.constantFrom('P1', 'P2'),
  versions: fc.array(
    fc.record({ week: fc.constantFrom(...weeks), category: fc.constantFrom('disruption', 'defiance'), severity: fc.integer({ min: 1, max: 5 }) }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** Every version as an arrival, each with the slot it arrives in (0..4: before week k's rollup). */
type MarkSpec = { pupil: string; week: string; day: number; session: 'AM' | 'PM'; codes: string[] };
type IncidentSpec = { pupil: string; versions: { week: string; category: string; severity: number }[] };
function arrivalsOf(marks: MarkSpec[], incidents: IncidentSpec[]): Arrival[] {
  const arrivals: Arrival[] = [];
  marks.forEach((mark, m) => {
    const date = addDays(weekStart(mark.week), mark.day);
    mark.codes.forEach((code, version) =>
      arrivals.push({ kind: 'mark', week: mark.week, version: m * 10 + version, mark: { pupilId: mark.pupil, date, session: mark.session, code } }),
    );
  });
  incidents.forEach((incident, i) => {
    incident.versions.forEach((version, v) => {
      const eventId = `e${i}-${v}`;
      const date = addDays(weekStart(version.week), 2);
      const occurredAtUtc = `2026-12-0${1 + v}T09:00:00.000Z`; // each amendment later than the last
      const data = { incidentId: `I${i}`, category: version.category, severity: version.severity };
      arrivals.push({
        kind: 'incident',
        week: version.week,
        record: { eventId, type: 'incident.recorded', date, occurredAtUtc, pupilIds: [incident.pupil], data },
        version: { incidentId: `I${i}`, eventId, occurredAtUtc, week: version.week, safeguardingConcern: false },
      });
    });
  });
  return arrivals;
}

describe('late corrections re-fold from the oldest changed week (property)', () => {
  it('any order of arrival, rollups in between, gives the figures of one rollup over the final data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(markArb, { minLength: 1, maxLength: 25 }),
        fc.array(incidentArb, { maxLength: 4 }),
        fc.infiniteStream(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true }))),
        async (marks, incidents, slots) => {
          // Each version arrives in a random slot, in a random order within it; a mark's
          // correction may arrive before the mark it corrects (the store keeps the latest).
          const arrivals = arrivalsOf(marks, incidents).map((arrival) => ({ arrival, at: slots.next().value as [number, number] }));
          arrivals.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);

          const live = new MemoryStore();
          const table = new Table();
          for (let slot = 0; slot <= weeks.length; slot++) {
            const now = slot === 0 ? new Date('2026-11-02T06:00:00Z') : new Date(mondayAfter(weeks[slot - 1]!).getTime() + 3_600_000);
            for (const { arrival } of arrivals.filter((entry) => entry.at[0] === slot)) {
              table.apply(arrival);
              for (const week of weeksToMarkChanged(table.weeksOf(arrival), now)) live.markChanged('oak', week);
            }
            table.load(live);
            await rollup(live, slot < weeks.length ? weeks[slot]! : finalWeek, slot < weeks.length ? mondayAfter(weeks[slot]!) : mondayAfter(finalWeek));
          }

          const clean = new MemoryStore();
          table.load(clean);
          for (const week of [...weeks, finalWeek]) await rollup(clean, week, mondayAfter(week));
          for (const week of [...weeks, finalWeek]) expect(live.figures.get(`oak#${week}`), week).toStrictEqual(clean.figures.get(`oak#${week}`));
          // Every marker was folded and cleared.
          expect(live.changed.size).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('without re-folding (the old behaviour) a late correction leaves later weeks wrong', async () => {
    const table = new Table();
    const store = new MemoryStore();
    const mark = (code: string, version: number): Arrival => ({
      kind: 'mark',
      week: '2026-W45',
      version,
      mark: { pupilId: 'P1', date: '2026-11-02', session: 'AM', code },
    });
    table.apply(mark('N', 0));
    table.load(store);
    await rollup(store, '2026-W45', mondayAfter('2026-W45'));
    table.apply(mark('I', 1)); // the note arrived: N becomes I, after week 45 was rolled up
    table.load(store);
    const unmarked = await rollup(store, '2026-W46', mondayAfter('2026-W46'));
    expect(unmarked.figures.attendance.yearToDate.unauthorisedAbsentSessions).toBe(1); // drifted
    store.markChanged('oak', '2026-W45');
    const refolded = await rollup(store, '2026-W47', mondayAfter('2026-W47'));
    expect(refolded.revisedWeeks).toEqual(['2026-W45', '2026-W46']);
    expect(refolded.figures.attendance.yearToDate).toMatchObject({ authorisedAbsentSessions: 1, unauthorisedAbsentSessions: 0 });
    expect(store.figures.get('oak#2026-W45')!.attendance).toMatchObject({ authorisedAbsentSessions: 1, unauthorisedAbsentSessions: 0 });
  });
});

describe('the rules', () => {
  it('a week may be rolled up once it has ended anywhere (UTC+14)', () => {
    expect(weekMayBeRolledUp('2026-W48', new Date('2026-11-29T09:00:00Z'))).toBe(false); // Sunday 23:00 at UTC+14 is still the 29th
    expect(weekMayBeRolledUp('2026-W48', new Date('2026-11-29T10:00:00Z'))).toBe(true); // Monday at UTC+14
    expect(weeksToMarkChanged(['2026-W47', '2026-W49', '2026-W47'], new Date('2026-12-01T09:00:00Z'))).toEqual(['2026-W47']);
  });
  it('a week of year 9999 has not ended (it ends in 10000, which an ISO string writes +010000): found by the webhook fuzzer', () => {
    expect(weekMayBeRolledUp('9999-W52', new Date('2026-12-01T09:00:00Z'))).toBe(false);
    expect(weeksToMarkChanged(['9999-W52', '0001-W01'], new Date('2026-12-01T09:00:00Z'))).toEqual(['0001-W01']);
  });
  it('the re-fold starts at the oldest changed week before this one, at most a year back', () => {
    const marker = (week: string) => ({ week, changes: 1 });
    expect(refoldStart('2026-W48', [marker('2026-W48')], '2025-W48')).toBeUndefined();
    expect(refoldStart('2026-W48', [marker('2026-W46'), marker('2026-W44')], '2025-W48')).toBe('2026-W44');
    expect(refoldStart('2026-W48', [marker('2025-W10')], '2025-W48')).toBe('2025-W48');
  });
  it('the latest version of an incident is the latest occurredAt, then eventId', () => {
    const version = (eventId: string, occurredAtUtc: string) => ({ incidentId: 'I', eventId, occurredAtUtc, week: '2026-W48', safeguardingConcern: false });
    expect(latestVersion([version('b', '2026-11-24T10:00:00Z'), version('a', '2026-11-25T10:00:00Z'), version('c', '2026-11-25T10:00:00Z')])!.eventId).toBe(
      'c',
    );
  });
  it('changed figures are leaf paths, whatever the key order', () => {
    expect(changedFigures({ a: { x: 1, y: [1, 2] }, b: 2 }, { b: 2, a: { y: [1, 2], x: 1 } })).toEqual([]);
    expect(changedFigures({ a: { x: 1, y: [1, 2] } }, { a: { x: 2, y: [2] } })).toEqual(['a.x', 'a.y']);
  });
});
