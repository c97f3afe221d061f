import { describe, expect, it } from 'vitest';
import { parseEvent, type TrackerEvent } from '../../events/catalogue';
import { academicYearStart, dateInZone, isIsoWeek, isoWeekOf, weekEnd, weekJustEnded, weekStart, weeksBetween } from '../../shared/domain/calendar';
import { attendanceMarkKey, attendancePupilPrefix, journalKey, pupilPartition } from '../../shared/domain/keys';
import { planWrite } from '../../shared/domain/records';
import { expiresAt } from '../../shared/domain/retention';
import { attendanceMark, incident, pupil, restorativeSession } from '../support/events';

const parse = (raw: unknown): TrackerEvent => {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.event;
};
const school = { schoolId: 'oak', timezone: 'Europe/London' };
const received = new Date('2026-11-23T09:00:00Z');

describe('calendar', () => {
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOf('2026-12-31')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(weekStart('2026-W48')).toBe('2026-11-23');
    expect(weekEnd('2026-W48')).toBe('2026-11-29');
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-48')).toBe(false);
  });

  it('finds the academic year, the week just ended and dates in a timezone', () => {
    expect(academicYearStart('2026-09-01')).toBe('2026-09-01');
    expect(academicYearStart('2026-08-31')).toBe('2025-09-01');
    expect(academicYearStart('2027-03-10')).toBe('2026-09-01');
    // 23:30 UTC on a summer Sunday is already Monday in London.
    expect(dateInZone(new Date('2026-06-28T23:30:00Z'), 'Europe/London')).toBe('2026-06-29');
    expect(weekJustEnded(new Date('2026-11-23T07:00:00Z'), 'Europe/London')).toBe('2026-W47');
    expect(weeksBetween('2026-09-01', '2026-09-15')).toEqual(['2026-W36', '2026-W37', '2026-W38']);
  });
});

describe('keys', () => {
  it("escapes # and % so one pupil's prefix never matches another's", () => {
    expect(attendancePupilPrefix('p1')).toBe('PUPIL#p1#');
    expect(attendancePupilPrefix('p1#2')).toBe('PUPIL#p1%232#');
    expect(attendancePupilPrefix('p1#2').startsWith(attendancePupilPrefix('p1'))).toBe(false);
    expect(pupilPartition('a%23', 'b')).toBe('SCHOOL#a%2523#PUPIL#b');
    expect(journalKey('oak', 'e#1')).toEqual({ pk: 'SCHOOL#oak#EVENT#e%231', sk: 'EVENT' });
  });
});

describe('write plans', () => {
  it('an attendance mark is one item per pupil, date and session in its school-week', () => {
    const plan = planWrite(
      parse(attendanceMark({ pupilId: 'P9', date: '2026-11-24', session: 'PM', occurredAt: '2026-11-24T13:05:00+01:00' })),
      school,
      received,
    );
    expect(plan.kind).toBe('mark');
    if (plan.kind !== 'mark') return;
    expect(plan.mark.key).toEqual(attendanceMarkKey('oak', '2026-W48', 'P9', '2026-11-24', 'PM'));
    // Offsets are normalised so "later" compares correctly as text.
    expect(plan.mark.occurredAtUtc).toBe('2026-11-24T12:05:00.000Z');
  });

  it('files an incident under the school date in its timezone, indexed by pupil and week', () => {
    const plan = planWrite(parse(incident({ pupilId: 'P1', occurredAt: '2026-06-28T23:30:00Z' })), school, received);
    if (plan.kind !== 'journal') throw new Error('expected a journal plan');
    expect(plan.journal).toMatchObject({
      date: '2026-06-29',
      week: '2026-W27',
      gsi1pk: 'SCHOOL#oak#PUPIL#P1',
      gsi2pk: 'SCHOOL#oak#WEEK#2026-W27',
      safeguardingConcern: false,
    });
  });

  it('keeps the roster on the profile and only a receipt in the journal', () => {
    const plan = planWrite(parse(pupil({ pupilId: 'P1' })), school, received);
    if (plan.kind !== 'journal') throw new Error('expected a journal plan');
    expect(plan.journal).not.toHaveProperty('data');
    expect(plan.profile?.attributes).toMatchObject({ firstName: 'Alex', recordKind: 'pupil' });
  });

  it('links each further pupil of a restorative session to their own timeline', () => {
    const plan = planWrite(parse(restorativeSession()), school, received);
    if (plan.kind !== 'journal') throw new Error('expected a journal plan');
    expect(plan.journal.gsi1pk).toBe('SCHOOL#oak#PUPIL#P001');
    expect(plan.participants.map((item) => item.gsi1pk)).toEqual(['SCHOOL#oak#PUPIL#P002']);
  });
});

describe('retention', () => {
  it('expires six years after an attendance mark (2024 regulations), and survives 29 February', () => {
    expect(new Date(expiresAt('attendanceMark', '2026-11-23') * 1000).toISOString()).toBe('2032-11-24T00:00:00.000Z');
    expect(new Date(expiresAt('attendanceMark', '2028-02-29') * 1000).toISOString()).toBe('2034-03-02T00:00:00.000Z');
  });
});
