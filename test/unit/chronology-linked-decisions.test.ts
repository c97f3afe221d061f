import { describe, expect, it } from 'vitest';
import { presentFor, recordsDecidedOn, restrictedIncidents, toEntry } from '../../shared/domain/chronology';
import type { ChronologyItem } from '../../shared/ports';

/**
 * Decisions about a record that follows a safeguarding incident (a restrictive intervention's
 * report, a restorative session's summary) are restricted with the record: they tell staff
 * that something happened about that incident.
 */
const at = '2026-11-20T10:00:00Z';
const incident = (eventId: string, safeguardingConcern: boolean): ChronologyItem => ({
  recordKind: 'event',
  type: 'incident.recorded',
  eventId,
  occurredAt: at,
  safeguardingConcern,
  data: { incidentId: 'I1', category: 'disruption', safeguardingConcern },
});
const record = (type: string, eventId: string, incidentId?: string): ChronologyItem => ({
  recordKind: 'event',
  type,
  eventId,
  occurredAt: at,
  data: { incidentId, parentReport: { withhold: false } },
});
const decision = (eventType: string, eventId: string, kind: string, status: string, reason?: string): ChronologyItem => ({
  recordKind: 'notification',
  decidedAt: at,
  eventId,
  eventType,
  kind,
  category: 'parent-notification',
  status,
  ...(reason ? { reason } : {}),
  recipient: { contactId: 'C1', relationship: 'Mother' },
});

const restrictive = record('restrictive.intervention.recorded', 'ri-1', 'I1');
const restorative = record('restorative.session.recorded', 'rs-1', 'I1');
const page = [
  restrictive,
  decision('restrictive.intervention.recorded', 'ri-1', 'restrictive-report', 'sent'),
  decision('restrictive.intervention.recorded', 'ri-1', 'restrictive-report', 'suppressed', 'no-contacts'),
  restorative,
  decision('restorative.session.recorded', 'rs-1', 'restorative', 'sent'),
];
const entries = page.map((item) => toEntry(item)!);

describe('decisions about a record that follows a safeguarding incident', () => {
  // The incident was amended to a safeguarding concern after the decisions were made.
  const restricted = restrictedIncidents([incident('inc-1', false), incident('inc-2', true)], [restrictive, restorative]);

  it('staff and leaders see the record and every decision about it as restricted', () => {
    for (const role of ['staff', 'leader'] as const) {
      expect(presentFor(role, entries, restricted)).toEqual(entries.map(() => ({ kind: 'restricted', occurredAt: at })));
    }
  });

  it('the DSL sees them in full', () => {
    expect(presentFor('dsl', entries, restricted)).toEqual(entries);
  });

  it('a record that follows another incident, or none, stays visible with its decisions', () => {
    for (const incidentId of ['I9', undefined]) {
      const other = record('restrictive.intervention.recorded', 'ri-1', incidentId);
      const shown = [other, ...page.slice(1, 3)].map((item) => toEntry(item)!);
      expect(presentFor('staff', shown, restrictedIncidents([incident('inc-2', true)], [other]))).toEqual(shown);
    }
  });
});

describe('a restorative summary held back because its incident is a safeguarding one', () => {
  it('is restricted even when the incident is not among the pupil own', () => {
    const held = toEntry(decision('restorative.session.recorded', 'rs-1', 'restorative', 'suppressed', 'linked-safeguarding'))!;
    expect(presentFor('staff', [held], restrictedIncidents([]))).toEqual([{ kind: 'restricted', occurredAt: at }]);
    expect(presentFor('dsl', [held], restrictedIncidents([]))).toEqual([held]);
  });
});

describe('which records the staff API reads for the page decisions', () => {
  it('the records of decisions that may follow an incident, each once', () => {
    const items = [
      ...page,
      decision('incident.recorded', 'inc-2', 'force', 'sent'),
      decision('intervention.started', 'int-1', 'intervention-started', 'sent'),
      decision('attendance.marked', 'att-1', 'absence', 'sent'),
    ];
    expect(recordsDecidedOn(items)).toEqual(['ri-1', 'rs-1']);
  });
});
