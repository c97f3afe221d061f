import { describe, expect, it } from 'vitest';
import { attendanceCategories } from '../../events/attendance-codes';
import { attendanceRate, attendanceWeek, emptyTally, isPersistentlyAbsent, isSeverelyAbsent, tallyMark } from '../../shared/domain/rollup/attendance';
import type { MarkRecord, PupilCounters } from '../../shared/domain/rollup/types';

/** Marks for one pupil on consecutive sessions of week 48 (23–27 November 2026). */
function marks(pupilId: string, codes: string[]): MarkRecord[] {
  const dates = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
  return codes.map((code, index) => ({ pupilId, date: dates[Math.floor(index / 2) % 5]!, session: index % 2 ? 'PM' : 'AM', code }));
}
const repeat = (code: string, times: number) => Array<string>(times).fill(code);
const week = (list: MarkRecord[], before: Record<string, PupilCounters> = {}) =>
  attendanceWeek({ marks: list, before, yearStart: '2026-09-01', weekEnd: '2026-11-29' });

describe('each DfE code counts by its category (contract section 5)', () => {
  const cases = [
    ...attendanceCategories.present.map((code) => [code, { possible: 1, present: 1 }] as const),
    ...attendanceCategories.approvedOffSite.map((code) => [code, { possible: 1, approvedOffSite: 1 }] as const),
    ...attendanceCategories.authorisedAbsence.map((code) => [code, { possible: 1, authorised: 1 }] as const),
    ...attendanceCategories.unauthorisedAbsence.map((code) => [code, { possible: 1, unauthorised: 1 }] as const),
    ...attendanceCategories.notPossible.map((code) => [code, { notCounted: 1 }] as const),
  ];
  it.each(cases)('%s', (code, expected) => {
    expect(tallyMark(emptyTally(), code)).toEqual({ ...emptyTally(), ...(code === 'L' ? { late: 1 } : {}), ...expected });
  });

  it('every one of the 2024 codes is covered, and an unknown code is refused', () => {
    expect(cases).toHaveLength(34);
    expect(() => tallyMark(emptyTally(), 'ZZ')).toThrow(/not a DfE attendance code/);
  });
});

describe('rate', () => {
  it('is (possible − absent) / possible', () => {
    expect(attendanceRate(59, 6)).toBe(53 / 59);
    expect(attendanceRate(10, 10)).toBe(0);
  });
  it('is 1 when there are no possible sessions (possibleSessions 0 tells a holiday apart)', () => {
    expect(attendanceRate(0, 0)).toBe(1);
  });
});

describe('persistent (≥ 10%) and severe (≥ 50%) absence, exactly', () => {
  it.each([
    [10, 1, true],
    [20, 2, true],
    [11, 1, false], // 9.09%
    [31, 3, false], // 9.68%
    [70, 7, true], // 0.1 exactly, where floating point division could wobble
    [0, 0, false], // no possible sessions: never persistent
  ])('%i possible, %i absent → persistent %s', (possible, absent, expected) => {
    expect(isPersistentlyAbsent(possible, absent)).toBe(expected);
  });

  it.each([
    [10, 5, true],
    [9, 4, false], // 44%
    [11, 5, false], // 45%
    [2, 1, true],
    [0, 0, false],
  ])('%i possible, %i absent → severe %s', (possible, absent, expected) => {
    expect(isSeverelyAbsent(possible, absent)).toBe(expected);
  });
});

describe('a week of marks', () => {
  it('exactly 10% is persistent, exactly 50% severe', () => {
    const result = week([
      ...marks('ten', ['N', ...repeat('/', 9)]),
      ...marks('fifty', [...repeat('I', 5), ...repeat('/', 5)]),
      ...marks('nine', ['N', ...repeat('/', 10)]),
    ]);
    expect(result.figures.persistentAbsentees).toEqual(['fifty', 'ten']);
    expect(result.figures.severeAbsentees).toEqual(['fifty']);
  });

  it('codes that are not possible sessions change neither side of the fraction', () => {
    // 1 N in 10 possible is 10%; the nine not-counted marks don't dilute it.
    const result = week(marks('P1', ['N', ...repeat('/', 9), 'X', 'Q', 'Y1', 'Y7', 'Z', '#', 'D', 'D', 'D']));
    expect(result.figures).toMatchObject({ possibleSessions: 10, absentSessions: 1, notCountedSessions: 9, rate: 0.9, persistentAbsentees: ['P1'] });
  });

  it('approved education off site is a possible session and not an absence', () => {
    const result = week(marks('P1', ['K', 'V', 'P', 'W', 'B', 'K', 'V', 'P', 'W', 'B']));
    expect(result.figures).toMatchObject({
      possibleSessions: 10,
      absentSessions: 0,
      approvedOffSiteSessions: 10,
      presentSessions: 0,
      rate: 1,
      persistentAbsentees: [],
    });
  });

  it('dual registration (D) is not counted: a pupil registered elsewhere all week has no possible sessions', () => {
    const result = week([...marks('dual', repeat('D', 10)), ...marks('P1', repeat('/', 10))]);
    expect(result.figures).toMatchObject({ possibleSessions: 10, absentSessions: 0, notCountedSessions: 10, persistentAbsentees: [], severeAbsentees: [] });
    expect(result.figures.yearToDate.pupils).toBe(1);
    expect(result.yearToDate.dual).toEqual([0, 0, 0]);
  });

  it('a pupil with zero possible sessions is never persistently or severely absent, and a week of them has rate 1', () => {
    const result = week(marks('away', ['X', 'X', 'Z', 'Z', '#', '#']));
    expect(result.figures).toMatchObject({ possibleSessions: 0, absentSessions: 0, rate: 1, persistentAbsentees: [], severeAbsentees: [] });
    expect(result.figures.yearToDate).toMatchObject({ possibleSessions: 0, rate: 1, pupils: 0 });
  });

  it('late: L (before registers close) is present, U (after) is an unauthorised absence', () => {
    const result = week([...marks('late', ['L', ...repeat('/', 9)]), ...marks('very-late', ['U', ...repeat('/', 9)])]);
    expect(result.figures).toMatchObject({
      possibleSessions: 20,
      absentSessions: 1,
      unauthorisedAbsentSessions: 1,
      authorisedAbsentSessions: 0,
      lateSessions: 1,
      presentSessions: 19,
    });
    expect(result.figures.persistentAbsentees).toEqual(['very-late']);
  });

  it('a corrected mark counts only by its latest code (the store keeps one mark per session)', () => {
    // The store replaced N with / (latest occurredAt wins); the rollup sees and counts just that.
    const corrected: MarkRecord = { pupilId: 'P1', date: '2026-11-23', session: 'AM', code: '/', minutesLate: 0 };
    expect(week([corrected]).figures).toMatchObject({ possibleSessions: 1, absentSessions: 0, unauthorisedAbsentSessions: 0 });
  });

  it('splits absences into authorised and unauthorised, week and year to date', () => {
    const result = week(marks('P1', ['I', 'M', 'C1', 'G', 'O', '/', '/', '/', '/', '/']), { P1: [20, 1, 0] });
    expect(result.figures).toMatchObject({ possibleSessions: 10, absentSessions: 5, authorisedAbsentSessions: 3, unauthorisedAbsentSessions: 2, rate: 0.5 });
    expect(result.figures.yearToDate).toMatchObject({
      possibleSessions: 30,
      absentSessions: 6,
      authorisedAbsentSessions: 4,
      unauthorisedAbsentSessions: 2,
      rate: 0.8,
    });
    expect(result.yearToDate.P1).toEqual([30, 4, 2]);
  });
});

describe('year to date from the carried counters', () => {
  it("adds this week to last week's counters; pupils without marks this week keep theirs", () => {
    const result = week(marks('P1', repeat('/', 10)), { P1: [10, 1, 0], P2: [20, 0, 4] });
    expect(result.yearToDate).toEqual({ P1: [20, 1, 0], P2: [20, 0, 4] });
    expect(result.figures.yearToDate).toMatchObject({ possibleSessions: 40, absentSessions: 5, pupils: 2 });
    // P1: 1/20 = 5% (no longer persistent); P2: 4/20 = 20%.
    expect(result.figures.persistentAbsentees).toEqual(['P2']);
  });

  it('newly persistent: persistent now, and not at the end of last week', () => {
    const result = week([...marks('new', [...repeat('N', 3), ...repeat('/', 7)]), ...marks('old', repeat('/', 10))], { new: [20, 1, 0], old: [10, 0, 4] });
    // new: 4/30 = 13% (was 5%); old: 4/20 = 20% (was 40%).
    expect(result.figures.persistentAbsentees).toEqual(['new', 'old']);
    expect(result.figures.newlyPersistentAbsentees).toEqual(['new']);
  });

  it('marks dated before 1 September count for the week, not for the new academic year', () => {
    // ISO week 2026-W36 runs Monday 31 August – Sunday 6 September.
    const list: MarkRecord[] = [
      { pupilId: 'P1', date: '2026-08-31', session: 'AM', code: 'N' },
      { pupilId: 'P1', date: '2026-09-01', session: 'AM', code: '/' },
    ];
    const result = attendanceWeek({ marks: list, before: {}, yearStart: '2026-09-01', weekEnd: '2026-09-06' });
    expect(result.figures).toMatchObject({ possibleSessions: 2, absentSessions: 1 });
    expect(result.figures.yearToDate).toMatchObject({ from: '2026-09-01', possibleSessions: 1, absentSessions: 0 });
    expect(result.figures.persistentAbsentees).toEqual([]);
  });

  it('lists pupils in a stable order whatever their ids look like', () => {
    const result = week([...marks('10', ['N']), ...marks('9', ['N']), ...marks('a', ['N'])]);
    expect(result.figures.persistentAbsentees).toEqual(['10', '9', 'a']);
  });
});
