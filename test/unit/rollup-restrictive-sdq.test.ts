import { describe, expect, it } from 'vitest';
import { rollWeek } from '../../shared/domain/rollup/roll-week';
import { combineSdqImpact } from '../../shared/domain/rollup/sdq-impact';
import type { JournalRecord, RollupState, WeekRecords } from '../../shared/domain/rollup/types';
import { renderSchoolSummary } from '../../shared/domain/summary-email/school-summary';
import { renderTrustSummary } from '../../shared/domain/summary-email/trust-summary';
import { interventionStarted, outcomeMeasure, restrictiveIntervention } from '../support/events';
import { storedJournal } from '../support/stored';

/** Restrictive-intervention figures and the SDQ's "did it help?", checked by hand on a small case. */
const journal = (raw: unknown) => storedJournal(raw) as unknown as JournalRecord;
const sdq = (pupilId: string, date: string, scores: { emotional: number; conduct: number; hyperactivity: number; peer: number }) =>
  journal(outcomeMeasure({ pupilId, data: { date }, scores: { ...scores, prosocial: 8 } }));
const ended = (pupilId: string, interventionId: string, endDate: string) =>
  journal({
    eventId: `end-${interventionId}`,
    type: 'intervention.ended',
    occurredAt: `${endDate}T15:00:00Z`,
    pupilId,
    data: { interventionId, endDate, outcome: 'achieved' },
  });
const restraint = (pupilId: string, startedAt: string, data: Record<string, unknown>) =>
  journal(restrictiveIntervention({ pupilId, data: { startedAt, ...data } }));

const empty = (): WeekRecords => ({ marks: [], interventions: [], restorative: [], incidents: [], notifications: [], restrictive: [], measures: [] });
const weeks: Record<string, WeekRecords> = {
  '2026-W43': { ...empty(), measures: [sdq('P1', '2026-10-20', { emotional: 6, conduct: 5, hyperactivity: 6, peer: 3 })] }, // 20, very high
  '2026-W44': {
    ...empty(),
    measures: [
      sdq('P1', '2026-11-02', { emotional: 5, conduct: 4, hyperactivity: 6, peer: 3 }), // 18, high: the latest on/before the start
      sdq('P2', '2026-11-01', { emotional: 3, conduct: 3, hyperactivity: 4, peer: 2 }), // 12, slightly raised
    ],
  },
  '2026-W45': {
    ...empty(),
    interventions: [
      journal(interventionStarted({ pupilId: 'P1', data: { interventionId: 'INT-A', kind: 'mentoring', startDate: '2026-11-02', groupPupilIds: ['P2'] } })),
    ],
    measures: [sdq('P3', '2026-11-10', { emotional: 5, conduct: 4, hyperactivity: 5, peer: 2 })], // 16, high
  },
  '2026-W46': {
    ...empty(),
    interventions: [journal(interventionStarted({ pupilId: 'P3', data: { interventionId: 'INT-B', kind: 'counselling', startDate: '2026-11-16' } }))],
  },
  '2026-W47': { ...empty(), restrictive: [restraint('P1', '2026-11-18T10:00:00Z', { types: ['restraint'], durationMinutes: 5 })] },
  '2026-W48': {
    ...empty(),
    interventions: [ended('P1', 'INT-A', '2026-11-27'), ended('P3', 'INT-B', '2026-11-26')],
    measures: [
      sdq('P1', '2026-11-27', { emotional: 3, conduct: 3, hyperactivity: 5, peer: 2 }), // 13, slightly raised: −5, lower band
      sdq('P2', '2026-11-28', { emotional: 4, conduct: 3, hyperactivity: 5, peer: 2 }), // 14, slightly raised: +2, same band
    ],
    restrictive: [
      restraint('P1', '2026-11-25T11:00:00Z', { types: ['restraint', 'seclusion'], durationMinutes: 10, injuries: { pupil: true, staff: false } }),
      restraint('P4', '2026-11-26T09:30:00Z', { types: ['reasonable_force'], durationMinutes: 3, injuries: { pupil: false, staff: true }, senAtTime: 'none' }),
    ],
    senByPupil: { P1: 'support', P4: 'ehcp' },
  },
};

function fold(): ReturnType<typeof rollWeek> {
  let base: RollupState | undefined;
  let last: ReturnType<typeof rollWeek> | undefined;
  for (const [week, records] of Object.entries(weeks)) {
    // Each state goes through JSON, as DynamoDB stores it.
    last = rollWeek({ schoolId: 'oak', week, base: base && JSON.parse(JSON.stringify(base)), records });
    base = last.state;
  }
  return last!;
}

describe('restrictive intervention figures', () => {
  const { figures } = fold();

  it("counts by type, pupils, SEN (the record's own senAtTime first), minutes, injuries, trend and repeats", () => {
    expect(figures.restrictive).toEqual({
      total: 2,
      byType: { reasonable_force: 1, restraint: 1, seclusion: 1 },
      pupils: 2,
      pupilsWithSen: 1, // P1 (roster: support); P4's record says none at the time
      totalMinutes: 13,
      injuries: { pupil: 1, staff: 1, any: 2 },
      previousWeekTotal: 1,
      change: 1,
      repeatPupils: [{ pupilId: 'P1', thisWeek: 1, lastFourWeeks: 2, minutesThisWeek: 10 }],
    });
  });

  it('counts an amended record (same recordId) once, the latest', () => {
    const first = restraint('P9', '2026-11-23T10:00:00Z', { recordId: 'R-same', durationMinutes: 2 });
    const amended = { ...first, eventId: 'amended', occurredAtUtc: '2026-11-24T10:00:00.000Z', data: { ...first.data, durationMinutes: 7 } };
    const { figures: week } = rollWeek({ schoolId: 'oak', week: '2026-W48', base: undefined, records: { ...empty(), restrictive: [amended, first] } });
    expect(week.restrictive).toMatchObject({ total: 1, totalMinutes: 7, previousWeekTotal: null, change: null });
  });
});

describe('SDQ: did it help?', () => {
  const { figures } = fold();

  it('pairs the nearest measure on/before the start with the nearest on/after the end, per pupil', () => {
    expect(figures.sdqImpact!.pairs).toEqual([
      {
        interventionId: 'INT-A',
        pupilId: 'P1',
        kind: 'mentoring',
        before: { date: '2026-11-02', totalDifficulties: 18, band: 'high' },
        after: { date: '2026-11-27', totalDifficulties: 13, band: 'slightly_raised' },
        change: -5,
        movement: 'lower',
      },
      {
        interventionId: 'INT-A',
        pupilId: 'P2',
        kind: 'mentoring',
        before: { date: '2026-11-01', totalDifficulties: 12, band: 'slightly_raised' },
        after: { date: '2026-11-28', totalDifficulties: 14, band: 'slightly_raised' },
        change: 2,
        movement: 'same',
      },
    ]);
    // INT-B (counselling) ended without a measure after it: not counted.
    expect(figures.sdqImpact!.endedInterventions).toBe(2);
    expect(figures.sdqImpact!.byKind).toEqual({ mentoring: { measured: 2, totalChange: -3, meanChange: -1.5, movedLower: 1, sameBand: 1, movedHigher: 0 } });
  });

  it('adds schools up for the trust from their sums, not a mean of means', () => {
    const other = {
      endedInterventions: 1,
      pairs: [],
      byKind: { mentoring: { measured: 1, totalChange: -6, meanChange: -6, movedLower: 1, sameBand: 0, movedHigher: 0 } },
    };
    expect(combineSdqImpact([figures.sdqImpact, other, undefined])).toEqual({
      mentoring: { measured: 3, totalChange: -9, meanChange: -3, movedLower: 2, sameBand: 1, movedHigher: 0 },
    });
  });

  it("shows both in the leaders' email and the trust summary (names only in the school's)", () => {
    const email = renderSchoolSummary({
      schoolName: 'Oak Primary',
      trustName: 'Oak Trust',
      timezone: 'Europe/London',
      figures,
      pupils: { P1: { firstName: 'Robin', lastName: 'Hart', yearGroup: '5' } },
    });
    expect(email.text).toContain('RESTRICTIVE INTERVENTIONS');
    expect(email.text).toContain('2 records of force, restraint or seclusion, involving 2 pupils (1 with SEN), 13 minutes in all.');
    expect(email.text).toContain('- Robin Hart (P1): 1 this week, 2 in four weeks, 10 minutes this week');
    expect(email.text).toContain('- Mentoring: 2 pupils, mean change −1.5, moved to a lower band 1 of 2');
    expect(email.html).toContain('Did it help?');
    const trust = renderTrustSummary({ trustName: 'Oak Trust', week: '2026-W48', schools: [{ name: 'Oak Primary', figures }] });
    expect(trust.text).toContain('- Oak Primary: 2 | 2 (1) | 13 | 2');
    expect(trust.text).toContain('- Mentoring: 2 pupils, mean change −1.5, moved to a lower band 1 of 2');
    expect(trust.text).not.toContain('Robin');
    expect(trust.html).not.toContain('P1');
  });
});
