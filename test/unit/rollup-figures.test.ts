import { describe, expect, it } from 'vitest';
import { incidentWeek } from '../../shared/domain/rollup/incidents';
import { interventionWeek } from '../../shared/domain/rollup/interventions';
import { notificationFigures } from '../../shared/domain/rollup/notifications';
import { isFallingAttendance, isRisingIncidents, pupilsToLookAt } from '../../shared/domain/rollup/pupils-to-look-at';
import { restorativeWeek } from '../../shared/domain/rollup/restorative';
import { schoolsToLookAt, trustRow, trustTotals } from '../../shared/domain/rollup/trust';
import type { CarriedIntervention, JournalRecord, RollupFigures, SessionTally } from '../../shared/domain/rollup/types';
import { emptyTally } from '../../shared/domain/rollup/attendance';

let n = 0;
const record = (type: string, date: string, pupilIds: string[], data: Record<string, unknown>, occurredAtUtc = `${date}T10:00:00.000Z`): JournalRecord => ({
  eventId: `e${String(++n).padStart(4, '0')}`,
  type,
  date,
  occurredAtUtc,
  pupilIds,
  data,
});
const started = (interventionId: string, pupilId: string, data: Record<string, unknown> = {}, date = '2026-11-23') =>
  record('intervention.started', date, [pupilId], { interventionId, kind: 'mentoring', title: 'x', staffId: 'S1', startDate: date, targets: [], ...data });
const session = (interventionId: string, pupilId: string, sessionId: string, date: string, data: Record<string, unknown>) =>
  record('intervention.session.recorded', date, [pupilId], { interventionId, sessionId, date, durationMinutes: 30, ...data });
const ended = (interventionId: string, pupilId: string, outcome: string, date: string, data: Record<string, unknown> = {}) =>
  record('intervention.ended', date, [pupilId], { interventionId, endDate: date, outcome, ...data });

const carried = (overrides: Partial<CarriedIntervention> = {}): CarriedIntervention => ({
  interventionId: 'INT1',
  pupilIds: ['P1'],
  kind: 'mentoring',
  startDate: '2026-11-02',
  startedAt: '2026-11-02T09:00:00.000Z',
  plannedSessions: 6,
  targets: [{ targetId: 'T1', baseline: 2, goal: 8 }],
  sessionIds: ['S1', 'S2'],
  scores: { T1: { score: 4, at: '2026-11-10#x' } },
  ...overrides,
});

describe('interventions', () => {
  it('active = carried + started − ended; started and ended by outcome', () => {
    const result = interventionWeek(
      [carried(), carried({ interventionId: 'INT0' })],
      [
        started('INT2', 'P2'),
        started('INT3', 'P3'),
        ended('INT0', 'P1', 'withdrawn', '2026-11-24'),
        ended('INT3', 'P3', 'achieved', '2026-11-27'),
        ended('OLD', 'P4', 'not_achieved', '2026-11-25'),
      ],
    );
    expect(result.active.map((intervention) => intervention.interventionId)).toEqual(['INT1', 'INT2']);
    expect(result.figures).toMatchObject({
      active: 2,
      started: 2,
      ended: { total: 3, byOutcome: { achieved: 1, partially_achieved: 0, not_achieved: 1, withdrawn: 1 } },
    });
  });

  it('counts group pupils as supported', () => {
    const result = interventionWeek([], [started('G1', 'P1', { groupPupilIds: ['P2', 'P3', 'P1'] })]);
    expect(result.active[0]!.pupilIds).toEqual(['P1', 'P2', 'P3']);
    expect(result.figures.pupilsSupported).toBe(3);
  });

  it('sessions: recorded, attended, attendance rate and mean engagement this week', () => {
    const result = interventionWeek(
      [carried()],
      [
        session('INT1', 'P1', 'S3', '2026-11-24', { attended: true, engagement: 4 }),
        session('INT1', 'P1', 'S4', '2026-11-26', { attended: true, engagement: 5 }),
        session('INT1', 'P1', 'S5', '2026-11-27', { attended: false }),
        session('UNKNOWN', 'P9', 'S1', '2026-11-27', { attended: true }),
      ],
    );
    expect(result.figures.sessions).toEqual({ recorded: 4, attended: 3, attendanceRate: 0.75, meanEngagement: 4.5 });
    expect(result.active[0]!.sessionIds).toEqual(['S1', 'S2', 'S3', 'S4', 'S5']);
  });

  it('a session sent twice counts once (latest wins); no sessions means null rates', () => {
    const once = session('INT1', 'P1', 'S3', '2026-11-24', { attended: false });
    const again = { ...session('INT1', 'P1', 'S3', '2026-11-24', { attended: true, engagement: 2 }), occurredAtUtc: '2026-11-24T16:00:00.000Z' };
    expect(interventionWeek([carried()], [again, once]).figures.sessions).toEqual({ recorded: 1, attended: 1, attendanceRate: 1, meanEngagement: 2 });
    expect(interventionWeek([], []).figures.sessions).toEqual({ recorded: 0, attended: 0, attendanceRate: null, meanEngagement: null });
  });

  it('delivery: sessions held so far vs planned, for interventions active during the week', () => {
    const result = interventionWeek(
      [carried(), carried({ interventionId: 'INT9', plannedSessions: undefined, sessionIds: ['A'] })],
      [
        started('INT2', 'P2', { plannedSessions: 4 }),
        session('INT2', 'P2', 'S1', '2026-11-24', { attended: true }),
        ended('INT2', 'P2', 'achieved', '2026-11-27'),
      ],
    );
    // INT1 2 of 6, INT2 1 of 4 (ended this week, still counted); INT9 has no plan.
    expect(result.figures.delivery).toEqual({ interventions: 2, delivered: 3, planned: 10 });
  });

  it('targets: latest score, change toward the goal in points, and the fraction of the way', () => {
    const result = interventionWeek(
      [
        carried({
          targets: [
            { targetId: 'T1', baseline: 2, goal: 8 },
            { targetId: 'T2', baseline: 6, goal: 2 },
            { targetId: 'T3', baseline: 5, goal: 5 },
            { targetId: 'T4', baseline: 1, goal: 9 },
          ],
          scores: {},
        }),
      ],
      [
        session('INT1', 'P1', 'S3', '2026-11-24', {
          attended: true,
          targetScores: [
            { targetId: 'T1', score: 4 },
            { targetId: 'T2', score: 7 },
          ],
        }),
        session('INT1', 'P1', 'S4', '2026-11-26', {
          attended: true,
          targetScores: [
            { targetId: 'T1', score: 5 },
            { targetId: 'T3', score: 6 },
          ],
        }),
      ],
    );
    // T1 2→5 toward 8: +3, 1/2; T2 6→7 away from 2: −1, −1/4; T3 5→6 (goal = baseline): +1, no fraction; T4 unscored.
    expect(result.figures.targets).toEqual({ scored: 3, meanChange: (3 - 1 + 1) / 3, meanProgress: (0.5 - 0.25) / 2 });
  });

  it("an end's final scores are the latest; a later start event replaces the details but keeps sessions", () => {
    const result = interventionWeek([carried()], [ended('INT1', 'P1', 'partially_achieved', '2026-11-27', { finalScores: [{ targetId: 'T1', score: 6 }] })]);
    expect(result.figures.targets).toEqual({ scored: 1, meanChange: 4, meanProgress: 4 / 6 });
    const restarted = interventionWeek([carried()], [{ ...started('INT1', 'P1', { plannedSessions: 10 }), occurredAtUtc: '2026-11-23T09:00:00.000Z' }]);
    expect(restarted.active[0]).toMatchObject({ plannedSessions: 10, sessionIds: ['S1', 'S2'] });
  });

  it('never reads notes', () => {
    const result = interventionWeek([carried()], [session('INT1', 'P1', 'S3', '2026-11-24', { attended: true, notes: 'SECRET' })]);
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});

describe('restorative sessions', () => {
  const rs = (sessionId: string, date: string, data: Record<string, unknown>) =>
    record('restorative.session.recorded', date, ['P1'], {
      sessionId,
      date,
      format: 'conversation',
      participants: [{ pupilId: 'P1', role: 'harmed' }],
      ...data,
    });

  it('count, by format, agreement rate over sessions that recorded one', () => {
    const result = restorativeWeek(
      [],
      [
        rs('A', '2026-11-23', { agreementReached: true }),
        rs('B', '2026-11-24', { format: 'circle', agreementReached: false }),
        rs('C', '2026-11-25', { format: 'circle' }),
      ],
      '2026-11-29',
    );
    expect(result.figures).toMatchObject({
      sessions: 3,
      byFormat: { conversation: 1, mini_conference: 0, circle: 2, conference: 0 },
      agreementRecorded: 2,
      agreementReached: 1,
      agreementRate: 0.5,
    });
    expect(restorativeWeek([], [], '2026-11-29').figures.agreementRate).toBeNull();
  });

  it('follow-ups due in the coming week, from this week and carried from earlier weeks', () => {
    const result = restorativeWeek(
      [
        { sessionId: 'OLD', date: '2026-12-02' },
        { sessionId: 'LATER', date: '2026-12-20' },
      ],
      [
        rs('A', '2026-11-23', { followUpDate: '2026-11-30' }),
        rs('B', '2026-11-24', { followUpDate: '2026-12-06' }),
        rs('C', '2026-11-25', { followUpDate: '2026-12-07' }),
        rs('D', '2026-11-26', { followUpDate: '2026-11-27' }),
      ],
      '2026-11-29',
    );
    // Monday 30 November to Sunday 6 December: A, B and OLD. D's date has passed; C and LATER carry on.
    expect(result.figures).toMatchObject({ followUpsDue: 3, followUpsDueFrom: '2026-11-30', followUpsDueTo: '2026-12-06' });
    expect(result.followUps.map((followUp) => followUp.sessionId)).toEqual(['A', 'OLD', 'B', 'C', 'LATER']);
  });
});

describe('incidents', () => {
  const incident = (pupilId: string, data: Record<string, unknown>, date = '2026-11-24') =>
    record('incident.recorded', date, [pupilId], { incidentId: `I${++n}`, category: 'disruption', severity: 2, ...data });

  it('by category (case folded) and severity, reasonable force, injuries, pupils, change on last week', () => {
    const result = incidentWeek(
      [
        incident('P1', { category: 'Disruption' }),
        incident('P1', { category: ' disruption ', severity: 3 }),
        incident('P2', { category: 'physical aggression', severity: 5, physicalIntervention: { used: true, injury: true } }),
        incident('P3', { category: 'defiance', severity: 1, physicalIntervention: { used: false, injury: false } }),
      ],
      6,
    );
    expect(result.figures).toEqual({
      total: 4,
      byCategory: { disruption: 2, 'physical aggression': 1, defiance: 1 },
      bySeverity: { '1': 1, '2': 1, '3': 1, '4': 0, '5': 1 },
      reasonableForce: 1,
      reasonableForceWithInjury: 1,
      pupils: 3,
      previousWeekTotal: 6,
      change: -2,
    });
    expect(result.byPupil).toEqual({ P1: 2, P2: 1, P3: 1 });
  });

  it('an amended incident (same incidentId) counts once, as its latest version', () => {
    const first = record('incident.recorded', '2026-11-24', ['P1'], { incidentId: 'I-X', category: 'disruption', severity: 2 }, '2026-11-24T10:00:00.000Z');
    const amended = record('incident.recorded', '2026-11-24', ['P1'], { incidentId: 'I-X', category: 'defiance', severity: 4 }, '2026-11-24T12:00:00.000Z');
    expect(incidentWeek([amended, first], null).figures).toMatchObject({ total: 1, byCategory: { defiance: 1 }, change: null, previousWeekTotal: null });
  });

  it('counts an incident only in the week of its latest version, wherever its other versions are filed', () => {
    const here = record('incident.recorded', '2026-11-24', ['P1'], { incidentId: 'I-Y', category: 'disruption', severity: 2 }, '2026-11-24T10:00:00.000Z');
    const version = (eventId: string, occurredAtUtc: string, week: string) => ({ incidentId: 'I-Y', eventId, occurredAtUtc, week, safeguardingConcern: false });
    const movedLater = { 'I-Y': [version(here.eventId, here.occurredAtUtc, '2026-W48'), version('later', '2026-12-02T09:00:00.000Z', '2026-W49')] };
    expect(incidentWeek([here], null, movedLater).figures.total).toBe(0);
    const olderElsewhere = { 'I-Y': [version('older', '2026-11-20T09:00:00.000Z', '2026-W47'), version(here.eventId, here.occurredAtUtc, '2026-W48')] };
    expect(incidentWeek([here], null, olderElsewhere).figures.total).toBe(1);
  });
});

describe('notifications', () => {
  it('counts by status, and suppressed ones by reason', () => {
    expect(
      notificationFigures([
        { status: 'sent', kind: 'force' },
        { status: 'sent', kind: 'detention' },
        { status: 'suppressed', reason: 'safeguarding' },
        { status: 'suppressed', reason: 'no-email' },
        { status: 'suppressed', reason: 'safeguarding' },
        { status: 'suppressed' },
        { status: 'rejected', reason: 'mail-rejected' },
      ]),
    ).toEqual({
      total: 7,
      sent: 2,
      suppressed: 4,
      byStatus: { sent: 2, suppressed: 4, rejected: 1 },
      suppressedByReason: { safeguarding: 2, 'no-email': 1, unspecified: 1 },
    });
  });
});

describe('pupils to look at', () => {
  it('rising incidents: at least 2 this week and more than last week', () => {
    expect(isRisingIncidents(2, 1)).toBe(true);
    expect(isRisingIncidents(2, 2)).toBe(false);
    expect(isRisingIncidents(1, 0)).toBe(false);
    expect(isRisingIncidents(5, 0)).toBe(true);
  });

  it('falling attendance: 25 points or more below the rate before, with enough sessions', () => {
    expect(isFallingAttendance({ possible: 8, absent: 2 }, { possible: 20, absent: 0 })).toBe(true); // 75% vs 100%: exactly 25 points
    expect(isFallingAttendance({ possible: 10, absent: 2 }, { possible: 20, absent: 0 })).toBe(false); // a day off sick: 80% vs 100%
    expect(isFallingAttendance({ possible: 10, absent: 4 }, { possible: 20, absent: 1 })).toBe(true); // 60% vs 95%
    expect(isFallingAttendance({ possible: 10, absent: 3 }, { possible: 20, absent: 1 })).toBe(true); // 70% vs 95%: exactly 25 points, in exact arithmetic
    expect(isFallingAttendance({ possible: 8, absent: 2 }, { possible: 20, absent: 1 })).toBe(false); // 75% vs 95%: 20 points
    expect(isFallingAttendance({ possible: 3, absent: 3 }, { possible: 20, absent: 0 })).toBe(false); // too few sessions this week
    expect(isFallingAttendance({ possible: 10, absent: 5 }, { possible: 9, absent: 0 })).toBe(false); // too few before
  });

  it('persistent absence without an active intervention; reasons together, sorted by pupil', () => {
    const tally = (possible: number, absent: number): SessionTally => ({ ...emptyTally(), possible, unauthorised: absent, present: possible - absent });
    const result = pupilsToLookAt({
      incidentsThisWeek: { P1: 3, P4: 2 },
      incidentsLastWeek: { P1: 1, P4: 2 },
      weekByPupil: new Map([
        ['P2', tally(10, 4)],
        ['P3', tally(10, 4)],
        ['P4', tally(10, 2)],
      ]),
      before: { P2: [20, 0, 0], P3: [20, 0, 0], P4: [20, 0, 0] },
      yearToDate: { P2: [30, 0, 4], P3: [30, 0, 4], P5: [10, 0, 0] },
      activeInterventions: [{ ...carried(), pupilIds: ['P3'] }],
    });
    expect(result).toEqual([
      { pupilId: 'P1', reasons: ['rising-incidents'], incidentsThisWeek: 3, incidentsLastWeek: 1, weekRate: null, rateBefore: null, yearToDateRate: null },
      {
        pupilId: 'P2',
        reasons: ['falling-attendance', 'persistent-absence-without-intervention'],
        incidentsThisWeek: 0,
        incidentsLastWeek: 0,
        weekRate: 0.6,
        rateBefore: 1,
        yearToDateRate: 26 / 30,
      },
      // P3 is as absent as P2 but has an intervention.
      { pupilId: 'P3', reasons: ['falling-attendance'], incidentsThisWeek: 0, incidentsLastWeek: 0, weekRate: 0.6, rateBefore: 1, yearToDateRate: 26 / 30 },
      // P4 (a day off, 80% after 100%) and P5 (fine) are not listed.
    ]);
  });
});

describe('the trust comparison', () => {
  const figures = (
    schoolId: string,
    overrides: { possible: number; absent: number; persistent: number; pupils: number; incidents: number; change: number | null; force: number },
  ): RollupFigures =>
    ({
      schoolId,
      attendance: {
        possibleSessions: overrides.possible,
        absentSessions: overrides.absent,
        rate: overrides.possible ? (overrides.possible - overrides.absent) / overrides.possible : 1,
        persistentAbsentees: Array.from({ length: overrides.persistent }, (_, index) => `P${index}`),
        yearToDate: { pupils: overrides.pupils },
      },
      incidents: { total: overrides.incidents, change: overrides.change, reasonableForce: overrides.force },
      interventions: { active: 2 },
      notifications: { sent: 3, suppressed: 1 },
      pupilsToLookAt: [],
    }) as unknown as RollupFigures;

  it('totals sessions before dividing (not an average of rates)', () => {
    const rows = [
      trustRow('A', figures('a', { possible: 100, absent: 10, persistent: 2, pupils: 10, incidents: 1, change: 0, force: 0 })),
      trustRow('B', figures('b', { possible: 300, absent: 10, persistent: 1, pupils: 30, incidents: 4, change: 2, force: 1 })),
    ];
    expect(trustTotals(rows)).toMatchObject({
      possibleSessions: 400,
      absentSessions: 20,
      attendanceRate: 0.95,
      persistentAbsentees: 3,
      incidents: 5,
      reasonableForce: 1,
      interventionsActive: 4,
      notificationsSent: 6,
    });
  });

  it('flags low attendance, high persistent absence, rising incidents and reasonable force', () => {
    const result = schoolsToLookAt([
      { name: 'Fine', figures: figures('fine', { possible: 100, absent: 5, persistent: 1, pupils: 10, incidents: 2, change: 4, force: 0 }) },
      { name: 'Low', figures: figures('low', { possible: 100, absent: 11, persistent: 2, pupils: 10, incidents: 2, change: 5, force: 1 }) },
      { name: 'Holiday', figures: figures('holiday', { possible: 0, absent: 0, persistent: 0, pupils: 0, incidents: 0, change: null, force: 0 }) },
    ]);
    expect(result).toEqual([{ schoolId: 'low', name: 'Low', reasons: ['low-attendance', 'high-persistent-absence', 'rising-incidents', 'reasonable-force'] }]);
  });
});
