import { describe, expect, it } from 'vitest';
import { entryKinds, nothingRestricted, presentFor, restrictedIncidents, toEntry, type ChronologyEntry } from '../../shared/domain/chronology';
import type { ChronologyItem } from '../../shared/ports';
import { mayAct, passwordProblems, principalFromClaims, refuseForStaff, staffRecordTypes, type StaffRole } from '../../shared/domain/staff-access';

const at = '2026-11-20T10:00:00Z';
const event = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): ChronologyItem => ({
  recordKind: 'event',
  type,
  eventId: `${type}-1`,
  occurredAt: at,
  data,
  ...extra,
});

const reportDecision = (kind: string, status: string, extra: Record<string, unknown>): ChronologyItem => ({
  recordKind: 'notification',
  decidedAt: at,
  eventId: 'ri-1',
  eventType: 'restrictive.intervention.recorded',
  kind,
  category: 'parent-notification',
  status,
  ...extra,
});

/** One stored item of every chronology kind, plus the safeguarding variants. */
const items = {
  'intervention.started': event('intervention.started', { interventionId: 'I1', notes: 'n' }),
  'intervention.session.recorded': event('intervention.session.recorded', { interventionId: 'I1', notes: 'staff note' }),
  'intervention.ended': event('intervention.ended', { interventionId: 'I1' }),
  'restorative.session.recorded': event('restorative.session.recorded', { sessionId: 'R1', notes: 'n' }),
  'restorative linked to a safeguarding incident': event('restorative.session.recorded', { sessionId: 'R2', incidentId: 'SG' }),
  'incident.recorded': event('incident.recorded', { incidentId: 'OK', notes: 'n' }),
  'safeguarding incident': event('incident.recorded', { incidentId: 'SG', safeguardingConcern: true }, { eventId: 'sg-v1', safeguardingConcern: true }),
  'later version without the flag': event('incident.recorded', { incidentId: 'SG', safeguardingConcern: false }, { eventId: 'sg-v2' }),
  'restrictive.intervention.recorded': event(
    'restrictive.intervention.recorded',
    { recordId: 'RI1', types: ['restraint'], notes: 'n' },
    { parentReport: 'send' },
  ),
  'restrictive intervention after a safeguarding incident': event('restrictive.intervention.recorded', { recordId: 'RI2', incidentId: 'SG' }),
  'outcome.measure.recorded': event(
    'outcome.measure.recorded',
    { measureId: 'M1', scores: { emotional: 5 } },
    { totalDifficulties: 14, bands: { total: 'slightly_raised' } },
  ),
  absence: { recordKind: 'event', type: 'attendance.marked', eventId: 'm1', occurredAt: at, date: '2026-11-20', session: 'AM', code: 'N' },
  'parent notification': {
    recordKind: 'notification',
    decidedAt: at,
    eventId: 'x',
    eventType: 'incident.recorded',
    kind: 'detention',
    category: 'parent-notification',
    status: 'sent',
    recipient: { contactId: 'C1' },
  },
  'DSL alert': {
    recordKind: 'notification',
    decidedAt: at,
    eventId: 'sg-v1',
    eventType: 'incident.recorded',
    kind: 'dsl-alert',
    category: 'dsl-alert',
    status: 'sent',
    recipient: { contactId: 'dsl' },
  },
  'decision about a safeguarding incident': {
    recordKind: 'notification',
    decidedAt: at,
    eventId: 'sg-v2',
    eventType: 'incident.recorded',
    kind: 'none',
    category: 'parent-notification',
    status: 'suppressed',
    reason: 'not-notifiable',
    recipient: { contactId: 'none' },
  },
  'restrictive report withheld': reportDecision('restrictive-report', 'suppressed', { reason: 'report-withheld', recipient: { contactId: 'none' } }),
  'DSL alert: restrictive report withheld': reportDecision('restrictive-report-withheld', 'sent', { category: 'dsl-alert', recipient: { contactId: 'dsl' } }),
} satisfies Record<string, ChronologyItem>;

const sensitive = new Set([
  'safeguarding incident',
  'later version without the flag',
  'restorative linked to a safeguarding incident',
  'restrictive intervention after a safeguarding incident',
  'DSL alert',
  'decision about a safeguarding incident',
  'DSL alert: restrictive report withheld',
]);
const restricted = restrictedIncidents(Object.values(items));

describe('safeguarding visibility: role × record kind', () => {
  const roles: StaffRole[] = ['staff', 'leader', 'dsl', 'trust'];
  for (const role of roles) {
    for (const [name, item] of Object.entries(items)) {
      const expected = role === 'trust' ? 'refused' : role === 'dsl' || !sensitive.has(name) ? 'full' : 'restricted';
      it(`${role} × ${name}: ${expected}`, () => {
        const entry = toEntry(item)!;
        const shown = presentFor(role, [entry], restricted);
        if (expected === 'refused') return expect(shown).toBeUndefined();
        if (expected === 'restricted') return expect(shown).toEqual([{ kind: 'restricted', occurredAt: at }]);
        expect(shown).toEqual([entry]);
      });
    }
  }

  it('covers every entry kind, and staff notes are shown to staff', () => {
    const kinds = new Set(Object.values(items).map((item) => toEntry(item)!.kind));
    expect([...kinds].sort()).toEqual([...entryKinds].sort());
    const [shown] = presentFor('staff', [toEntry(items['intervention.session.recorded'])!], nothingRestricted)! as Extract<
      ChronologyEntry,
      { data: unknown }
    >[];
    expect(shown!.data.notes).toBe('staff note');
  });

  it('an outcome measure carries what was derived from its scores', () => {
    expect(toEntry(items['outcome.measure.recorded'])).toMatchObject({
      kind: 'outcome.measure.recorded',
      totalDifficulties: 14,
      bands: { total: 'slightly_raised' },
    });
  });

  it('pupil roster receipts and present marks are not chronology entries', () => {
    expect(toEntry({ recordKind: 'event', type: 'pupil.upserted' })).toBeUndefined();
    expect(toEntry({ recordKind: 'pupil' })).toBeUndefined();
  });
});

describe('principal from claims (API Gateway flattens arrays to "[a b]")', () => {
  const base = { sub: 'u1', token_use: 'access' };
  it.each([
    [
      { ...base, 'cognito:groups': '[role:staff school:oak]' },
      { userId: 'u1', role: 'staff', schoolId: 'oak' },
    ],
    [
      { ...base, 'cognito:groups': ['school:oak', 'role:dsl'] },
      { userId: 'u1', role: 'dsl', schoolId: 'oak' },
    ],
    [
      { ...base, 'cognito:groups': '[role:trust]' },
      { userId: 'u1', role: 'trust', schoolId: null },
    ],
    [{ ...base, 'cognito:groups': '[role:staff]' }, undefined],
    [{ ...base, 'cognito:groups': '[role:staff role:leader school:oak]' }, undefined],
    [{ ...base, 'cognito:groups': '[role:staff school:oak school:elm]' }, undefined],
    [{ ...base, 'cognito:groups': '[role:trust school:oak]' }, undefined],
    [{ ...base, 'cognito:groups': '[role:admin school:oak]' }, undefined],
    [{ ...base, token_use: 'id', 'cognito:groups': '[role:staff school:oak]' }, undefined],
    [{ token_use: 'access', 'cognito:groups': '[role:staff school:oak]' }, undefined],
  ])('%j → %j', (claims, expected) => expect(principalFromClaims(claims)).toEqual(expected));
});

describe('role × action', () => {
  const table = {
    staff: { searchPupils: true, readChronology: true, readFigures: false, postRecords: true },
    dsl: { searchPupils: true, readChronology: true, readFigures: true, postRecords: true },
    leader: { searchPupils: true, readChronology: true, readFigures: true, postRecords: true },
    trust: { searchPupils: false, readChronology: false, readFigures: true, postRecords: false },
  } as const;
  for (const [role, actions] of Object.entries(table)) {
    it(`${role}: own school as the table says; another school only for trust figures`, () => {
      const principal = { userId: 'u', role: role as StaffRole, schoolId: role === 'trust' ? null : 'oak' };
      for (const [action, allowed] of Object.entries(actions)) {
        expect(mayAct(principal, action as keyof typeof actions, 'oak'), `${role} ${action} oak`).toBe(allowed);
        expect(mayAct(principal, action as keyof typeof actions, 'elm'), `${role} ${action} elm`).toBe(role === 'trust' && allowed);
      }
    });
  }

  it('staff post every catalogue type except the MIS-only ones', () => {
    expect(refuseForStaff('pupil.upserted')).toMatch(/MIS/);
    expect(refuseForStaff('attendance.marked')).toMatch(/MIS/);
    for (const type of staffRecordTypes) expect(refuseForStaff(type)).toBeUndefined();
  });

  it('password policy messages', () => {
    expect(passwordProblems('short')).toEqual(['at least 12 characters', 'an upper-case letter', 'a digit', 'a symbol']);
    expect(passwordProblems('Correct-Horse-7-Battery')).toEqual([]);
  });
});
