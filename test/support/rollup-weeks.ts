/**
 * One school's records for ISO weeks 47 and 48 of 2026, as its MIS would send them: the
 * hand-checked case of test/integration/rollup.test.ts, whose expected figures are worked out
 * from the comments here (docs/rollups.md repeats the worked example).
 */
export const staffNote = 'STAFF-ONLY note: never leaves the staff room';

const days = {
  w47: ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'],
  w48: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'],
};

export const roster = [
  ['P1', 'Amelia', 'Smith', '8'],
  ['P2', 'Oliver', 'Jones', '8'],
  ['P3', 'Isla', 'Patel', '9'],
  ['P4', 'George', 'Brown', '9'],
  ['P5', 'Ava', 'Khan', '7'],
  ['P6', 'Noah', 'Okafor', '10'],
] as const;

type Event = Record<string, unknown>;
/** The events so far, and the next event id (`<school>-<kind>-<n>`: the order of the sections below fixes every id). */
interface Log {
  events: Event[];
  id(kind: string): string;
}

/** The roster, then both weeks' marks, incidents, interventions and restorative sessions of `school`. */
export function eventsFor(school: string): Event[] {
  let n = 0;
  const log: Log = { events: [], id: (kind) => `${school}-${kind}-${++n}` };
  for (const [pupilId, firstName, lastName, yearGroup] of roster) {
    log.events.push({
      eventId: log.id('roster'),
      type: 'pupil.upserted',
      occurredAt: '2026-11-01T06:00:00Z',
      pupilId,
      data: { firstName, lastName, yearGroup, contacts: [] },
    });
  }
  week47Marks(log);
  week48Marks(log);
  incidents(log);
  interventions(log);
  restorativeSessions(log);
  return log.events;
}

function mark(log: Log, pupilId: string, date: string, session: 'AM' | 'PM', code: string, extra: { occurredAt?: string; minutesLate?: number } = {}) {
  log.events.push({
    eventId: log.id('mark'),
    type: 'attendance.marked',
    occurredAt: extra.occurredAt ?? `${date}T${session === 'AM' ? '08:50' : '13:10'}:00Z`,
    pupilId,
    data: { date, session, code, ...(extra.minutesLate !== undefined ? { minutesLate: extra.minutesLate } : {}) },
  });
}

/** A week of marks: `/` unless `codes` says otherwise for `<date> <session>`. */
function week(log: Log, pupilId: string, dates: string[], codes: Record<string, string> = {}) {
  for (const date of dates) for (const session of ['AM', 'PM'] as const) mark(log, pupilId, date, session, codes[`${date} ${session}`] ?? '/');
}

// Week 47. P1 all present; P2 one N (1/10 = exactly 10%: persistent); P3 five I (5/10 =
// exactly 50%: severe); P4 dual-registered all week (D: no possible sessions); P6 present.
function week47Marks(log: Log) {
  week(log, 'P1', days.w47);
  week(log, 'P2', days.w47, { '2026-11-16 AM': 'N' });
  week(log, 'P3', days.w47, { '2026-11-16 AM': 'I', '2026-11-16 PM': 'I', '2026-11-17 AM': 'I', '2026-11-17 PM': 'I', '2026-11-18 AM': 'I' });
  week(
    log,
    'P4',
    days.w47,
    Object.fromEntries(
      days.w47.flatMap((date) => [
        [`${date} AM`, 'D'],
        [`${date} PM`, 'D'],
      ]),
    ),
  );
  week(log, 'P6', days.w47);
}

// Week 48. P1: Monday AM marked N, then corrected to / (only the correction counts), L on
// Tuesday AM (present); P2, P3 present; P4 two K (approved off site: possible, present);
// P5 (new) U U V X then present (X not possible: 9 possible, 2 unauthorised); P6 2 N + 2 I.
function week48Marks(log: Log) {
  week(log, 'P1', days.w48.slice(2));
  mark(log, 'P1', '2026-11-23', 'AM', 'N', { occurredAt: '2026-11-23T08:50:00Z' });
  mark(log, 'P1', '2026-11-23', 'AM', '/', { occurredAt: '2026-11-23T09:30:00Z' });
  mark(log, 'P1', '2026-11-23', 'PM', '/');
  mark(log, 'P1', '2026-11-24', 'AM', 'L', { minutesLate: 10 });
  mark(log, 'P1', '2026-11-24', 'PM', '/');
  week(log, 'P2', days.w48);
  week(log, 'P3', days.w48);
  week(log, 'P4', days.w48, { '2026-11-23 AM': 'K', '2026-11-23 PM': 'K' });
  mark(log, 'P5', '2026-11-23', 'AM', 'U', { minutesLate: 40 });
  mark(log, 'P5', '2026-11-23', 'PM', 'U');
  mark(log, 'P5', '2026-11-24', 'AM', 'V');
  mark(log, 'P5', '2026-11-24', 'PM', 'X');
  week(log, 'P5', days.w48.slice(2));
  week(log, 'P6', days.w48, { '2026-11-23 AM': 'N', '2026-11-23 PM': 'N', '2026-11-24 AM': 'I', '2026-11-24 PM': 'I' });
}

function incidents(log: Log) {
  const incident = (pupilId: string, occurredAt: string, category: string, severity: number, force = false) =>
    log.events.push({
      eventId: log.id('incident'),
      type: 'incident.recorded',
      occurredAt,
      pupilId,
      data: {
        incidentId: log.id('I'),
        category,
        severity,
        notes: staffNote,
        ...(force ? { physicalIntervention: { used: true, technique: 'guide', injury: false } } : {}),
      },
    });
  incident('P2', '2026-11-18T10:00:00Z', 'disruption', 1);
  incident('P2', '2026-11-24T10:00:00Z', 'Disruption', 2);
  incident('P2', '2026-11-25T11:00:00Z', 'defiance', 3);
  incident('P1', '2026-11-26T12:00:00Z', 'physical aggression', 4, true);
}

function started(log: Log, pupilId: string, interventionId: string, startDate: string, data: Event) {
  log.events.push({
    eventId: log.id('start'),
    type: 'intervention.started',
    occurredAt: `${startDate}T09:00:00Z`,
    pupilId,
    data: { interventionId, kind: 'mentoring', title: 'Mentoring', staffId: 'S1', startDate, ...data },
  });
}

function session(log: Log, pupilId: string, interventionId: string, sessionId: string, date: string, data: Event) {
  log.events.push({
    eventId: log.id('session'),
    type: 'intervention.session.recorded',
    occurredAt: `${date}T14:00:00Z`,
    pupilId,
    data: { interventionId, sessionId, date, durationMinutes: 30, notes: staffNote, ...data },
  });
}

function interventions(log: Log) {
  started(log, 'P3', 'INT1', '2026-11-18', {
    plannedSessions: 6,
    targets: [
      { targetId: 'T1', area: 'learning', description: 'Arrives on time', baseline: 2, goal: 8 },
      { targetId: 'T2', area: 'behavioural', description: 'Outbursts a day', baseline: 6, goal: 2 },
    ],
  });
  session(log, 'P3', 'INT1', 'S1', '2026-11-19', {
    attended: true,
    engagement: 3,
    targetScores: [
      { targetId: 'T1', score: 3 },
      { targetId: 'T2', score: 5 },
    ],
  });
  session(log, 'P3', 'INT1', 'S2', '2026-11-24', {
    attended: true,
    engagement: 4,
    targetScores: [
      { targetId: 'T1', score: 5 },
      { targetId: 'T2', score: 4 },
    ],
  });
  session(log, 'P3', 'INT1', 'S3', '2026-11-26', { attended: false });
  started(log, 'P1', 'INT2', '2026-11-23', {
    plannedSessions: 4,
    groupPupilIds: ['P2'],
    targets: [{ targetId: 'T1', area: 'social', description: 'Plays well', baseline: 4, goal: 6 }],
  });
  session(log, 'P1', 'INT2', 'S1', '2026-11-25', { attended: true, engagement: 5, targetScores: [{ targetId: 'T1', score: 5 }] });
  log.events.push({
    eventId: log.id('end'),
    type: 'intervention.ended',
    occurredAt: '2026-11-27T15:00:00Z',
    pupilId: 'P1',
    data: { interventionId: 'INT2', endDate: '2026-11-27', outcome: 'achieved', finalScores: [{ targetId: 'T1', score: 6 }], notes: staffNote },
  });
}

function restorativeSessions(log: Log) {
  const restorative = (date: string, format: string, pupils: string[], agreementReached: boolean, followUpDate: string) =>
    log.events.push({
      eventId: log.id('restorative'),
      type: 'restorative.session.recorded',
      occurredAt: `${date}T15:30:00Z`,
      data: {
        sessionId: log.id('RS'),
        date,
        format,
        participants: [...pupils.map((pupilId) => ({ pupilId, role: 'responsible' })), { staffId: 'S1', role: 'facilitator' }],
        agreementReached,
        followUpDate,
        notes: staffNote,
      },
    });
  restorative('2026-11-18', 'mini_conference', ['P2', 'P1'], true, '2026-11-25');
  restorative('2026-11-24', 'conversation', ['P2', 'P6'], true, '2026-12-01');
  restorative('2026-11-26', 'circle', ['P1', 'P3', 'P5'], false, '2026-12-10');
}
