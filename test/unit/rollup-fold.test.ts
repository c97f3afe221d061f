import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attendanceCodes } from '../../events/attendance-codes';
import { addDays, weekStart } from '../../shared/domain/calendar';
import { attendanceCategory } from '../../events/attendance-codes';
import { isPersistentlyAbsent, isSeverelyAbsent } from '../../shared/domain/rollup/attendance';
import { rollWeek, weeksToFold } from '../../shared/domain/rollup/roll-week';
import type { MarkRecord, RollupFigures, RollupState, WeekRecords } from '../../shared/domain/rollup/types';

const empty = (): WeekRecords => ({ marks: [], interventions: [], restorative: [], incidents: [], notifications: [] });
const weeks = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `2026-W${String(from + index).padStart(2, '0')}`);

/** Week by week, each state through JSON (as DynamoDB would store it) into the next week. */
function chain(schoolId: string, recordsByWeek: Map<string, WeekRecords>, list: string[], start?: RollupState) {
  let state = start;
  let figures: RollupFigures | undefined;
  for (const week of list) {
    ({ figures, state } = rollWeek({ schoolId, week, base: state, records: recordsByWeek.get(week) ?? empty() }));
    state = JSON.parse(JSON.stringify(state)) as RollupState;
  }
  return { figures: figures!, state: state! };
}

describe('which weeks a rollup folds first', () => {
  it("none when last week's state is stored (the usual case)", () => {
    expect(weeksToFold('2026-W48', '2026-W47')).toEqual([]);
  });
  it('the gap after an older stored state', () => {
    expect(weeksToFold('2026-W48', '2026-W45')).toEqual(['2026-W46', '2026-W47']);
  });
  it('with nothing stored, the academic year from the week holding 1 September', () => {
    expect(weeksToFold('2026-W48', undefined)).toEqual(weeks(36, 47));
    expect(weeksToFold('2027-W02', undefined)).toHaveLength(19); // 2026-W36 … 2026-W53, 2027-W01
    expect(weeksToFold('2027-W02', undefined).at(-1)).toBe('2027-W01');
  });
  it("at least last week (for the change from last week), even in the year's first week", () => {
    expect(weeksToFold('2026-W36', undefined)).toEqual(['2026-W35']);
  });
  it('never more than a year: a state older than 52 weeks is not used', () => {
    expect(weeksToFold('2026-W48', '2025-W40')).toEqual(weeks(36, 47));
    expect(weeksToFold('2027-W30', undefined).length).toBeLessThanOrEqual(53);
  });
});

describe('rolling a week onto the carried state', () => {
  const mark = (pupilId: string, date: string, code: string, session = 'AM'): MarkRecord => ({ pupilId, date, session, code });

  it('refuses a base that is not last week', () => {
    const { state } = rollWeek({ schoolId: 's', week: '2026-W45', base: undefined, records: empty() });
    expect(() => rollWeek({ schoolId: 's', week: '2026-W47', base: state, records: empty() })).toThrow(/must start from 2026-W46/);
  });

  it('starts the attendance counters again on 1 September, but carries interventions on', () => {
    const w35 = empty();
    w35.marks = [mark('P1', '2026-08-24', 'N'), mark('P1', '2026-08-25', 'N')];
    w35.interventions = [
      {
        eventId: 'e1',
        type: 'intervention.started',
        date: '2026-08-24',
        occurredAtUtc: '2026-08-24T09:00:00.000Z',
        pupilIds: ['P1'],
        data: { interventionId: 'SUMMER', kind: 'reintegration', title: 'x', staffId: 's', startDate: '2026-08-24', targets: [] },
      },
    ];
    const before = rollWeek({ schoolId: 's', week: '2026-W35', base: undefined, records: w35 });
    expect(before.figures.attendance.persistentAbsentees).toEqual(['P1']);
    const w36 = empty();
    w36.marks = [mark('P1', '2026-08-31', 'N'), mark('P1', '2026-09-01', '/')];
    const after = rollWeek({ schoolId: 's', week: '2026-W36', base: before.state, records: w36 });
    expect(after.state.academicYearStart).toBe('2026-09-01');
    expect(after.state.attendance).toEqual({ P1: [1, 0, 0] });
    expect(after.figures.attendance.persistentAbsentees).toEqual([]);
    expect(after.figures.attendance).toMatchObject({ possibleSessions: 2, absentSessions: 1 });
    expect(after.figures.interventions.active).toBe(1);
    expect(after.figures.previousWeek).toMatchObject({ week: '2026-W35', persistentAbsentees: 1, absentSessions: 2 });
  });

  it("last week's headline comes with the state; with no state there is none", () => {
    const w47 = empty();
    w47.incidents = [
      {
        eventId: 'i1',
        type: 'incident.recorded',
        date: '2026-11-18',
        occurredAtUtc: '2026-11-18T10:00:00.000Z',
        pupilIds: ['P1'],
        data: { incidentId: 'I1', category: 'x', severity: 1 },
      },
    ];
    const first = rollWeek({ schoolId: 's', week: '2026-W47', base: undefined, records: w47 });
    expect(first.figures.previousWeek).toBeNull();
    expect(first.figures.incidents.change).toBeNull();
    const second = rollWeek({ schoolId: 's', week: '2026-W48', base: first.state, records: empty() });
    expect(second.figures.previousWeek).toMatchObject({ week: '2026-W47', incidents: 1, attendanceRate: null });
    expect(second.figures.incidents).toMatchObject({ total: 0, previousWeekTotal: 1, change: -1 });
  });

  it('gives identical figures whatever order the Query returned the records in', () => {
    const records = empty();
    for (let day = 0; day < 5; day++) for (const pupil of ['P1', 'P2', 'P3']) records.marks.push(mark(pupil, addDays('2026-11-23', day), day % 3 ? '/' : 'N'));
    records.interventions = [
      {
        eventId: 'a',
        type: 'intervention.started',
        date: '2026-11-23',
        occurredAtUtc: '2026-11-23T09:00:00.000Z',
        pupilIds: ['P1'],
        data: {
          interventionId: 'I1',
          kind: 'mentoring',
          title: 'x',
          staffId: 's',
          startDate: '2026-11-23',
          targets: [{ targetId: 'T', baseline: 1, goal: 4 }],
        },
      },
      {
        eventId: 'b',
        type: 'intervention.session.recorded',
        date: '2026-11-24',
        occurredAtUtc: '2026-11-24T09:00:00.000Z',
        pupilIds: ['P1'],
        data: {
          interventionId: 'I1',
          sessionId: 'S1',
          date: '2026-11-24',
          durationMinutes: 5,
          attended: true,
          engagement: 3,
          targetScores: [{ targetId: 'T', score: 2 }],
        },
      },
      {
        eventId: 'c',
        type: 'intervention.session.recorded',
        date: '2026-11-25',
        occurredAtUtc: '2026-11-25T09:00:00.000Z',
        pupilIds: ['P1'],
        data: {
          interventionId: 'I1',
          sessionId: 'S2',
          date: '2026-11-25',
          durationMinutes: 5,
          attended: true,
          engagement: 4,
          targetScores: [{ targetId: 'T', score: 3 }],
        },
      },
    ];
    const forwards = rollWeek({ schoolId: 's', week: '2026-W48', base: undefined, records });
    const backwards = rollWeek({
      schoolId: 's',
      week: '2026-W48',
      base: undefined,
      records: { ...records, marks: [...records.marks].reverse(), interventions: [...records.interventions].reverse() },
    });
    expect(backwards.figures).toStrictEqual(forwards.figures);
    expect(forwards.figures.interventions.targets).toEqual({ scored: 1, meanChange: 2, meanProgress: 2 / 3 });
  });
});

describe('pre-aggregation: week W from the stored W−1 equals the year computed from scratch', () => {
  const pupils = ['P1', 'P2', 'P3', 'P4'];
  const teachingWeeks = weeks(36, 44);
  const markArbitrary = fc.record({
    pupil: fc.constantFrom(...pupils),
    week: fc.constantFrom(...teachingWeeks),
    day: fc.integer({ min: 0, max: 4 }),
    session: fc.constantFrom('AM', 'PM'),
    code: fc.constantFrom(...attendanceCodes),
  });

  it('year-to-date counters, persistent and severe lists, for any register', () => {
    fc.assert(
      fc.property(fc.array(markArbitrary, { maxLength: 250 }), fc.integer({ min: 37, max: 44 }), (drawn, splitAt) => {
        // One mark per pupil, date and session: the last drawn wins, as the store keeps the latest.
        const byKey = new Map<string, MarkRecord>();
        for (const { pupil, week, day, session, code } of drawn) {
          const date = addDays(weekStart(week), day);
          byKey.set(`${pupil}#${date}#${session}`, { pupilId: pupil, date, session, code });
        }
        const recordsByWeek = new Map<string, WeekRecords>();
        for (const mark of byKey.values()) {
          const week = teachingWeeks.find((candidate) => weekStart(candidate) <= mark.date && mark.date <= addDays(weekStart(candidate), 6))!;
          if (!recordsByWeek.has(week)) recordsByWeek.set(week, empty());
          recordsByWeek.get(week)!.marks.push(mark);
        }

        // Chained week by week (as the schedule runs it), and with a "gap" at splitAt: a fresh
        // chain from the state stored before it, the way a rebuild folds the missing weeks.
        const whole = chain('s', recordsByWeek, teachingWeeks);
        const head = chain('s', recordsByWeek, weeks(36, splitAt - 1));
        const tail = chain('s', recordsByWeek, weeks(splitAt, 44), head.state);
        expect(tail.figures).toStrictEqual(whole.figures);

        // From scratch: every mark of the academic year (2026-W36 starts on Monday 31 August,
        // which belongs to the year before).
        const counts = new Map<string, { possible: number; absent: number }>();
        for (const mark of byKey.values()) {
          if (mark.date < '2026-09-01') continue;
          const category = attendanceCategory(mark.code as never);
          if (category === 'notPossible') continue;
          const entry = counts.get(mark.pupilId) ?? { possible: 0, absent: 0 };
          entry.possible++;
          if (category === 'authorisedAbsence' || category === 'unauthorisedAbsence') entry.absent++;
          counts.set(mark.pupilId, entry);
        }
        const persistent = [...counts]
          .filter(([, c]) => isPersistentlyAbsent(c.possible, c.absent))
          .map(([id]) => id)
          .sort();
        const severe = [...counts]
          .filter(([, c]) => isSeverelyAbsent(c.possible, c.absent))
          .map(([id]) => id)
          .sort();
        const total = [...counts.values()].reduce((sum, c) => ({ possible: sum.possible + c.possible, absent: sum.absent + c.absent }), {
          possible: 0,
          absent: 0,
        });
        expect(whole.figures.attendance.persistentAbsentees).toEqual(persistent);
        expect(whole.figures.attendance.severeAbsentees).toEqual(severe);
        expect(whole.figures.attendance.yearToDate).toMatchObject({ possibleSessions: total.possible, absentSessions: total.absent });
      }),
      { numRuns: 150 },
    );
  });
});
