import { describe, expect, it } from 'vitest';
import { mayBeRestricted, nothingRestricted, presentFor, toEntry, type ChronologyEntry } from '../../shared/domain/chronology';
import type { ChronologyItem } from '../../shared/ports';

/** The statutory report's decisions on the chronology (contract sections 6 and 7). */
const at = '2026-11-20T10:00:00Z';
const decision = (kind: string, status: string, extra: Record<string, unknown> = {}): ChronologyItem => ({
  recordKind: 'notification',
  decidedAt: at,
  eventId: 'ri-1',
  eventType: 'restrictive.intervention.recorded',
  kind,
  category: kind === 'restrictive-report' ? 'parent-notification' : 'dsl-alert',
  status,
  recipient: { contactId: 'C1', relationship: 'Mother' },
  ...extra,
});

describe('each report decision shows as a restrictive-report entry with its outcome', () => {
  const cases: [string, ChronologyItem, string][] = [
    ['sent', decision('restrictive-report', 'sent'), 'sent'],
    ['delivered, then marked as spam', decision('restrictive-report', 'complained'), 'sent'],
    ['not sent to one contact', decision('restrictive-report', 'suppressed', { reason: 'notify-false' }), 'not-sent'],
    ['withheld', decision('restrictive-report', 'suppressed', { reason: 'report-withheld' }), 'withheld'],
    ['nobody to send it to', decision('restrictive-report', 'suppressed', { reason: 'no-contacts' }), 'no-contact'],
    ['refused for good', decision('restrictive-report', 'rejected'), 'mail-refused'],
    ['bounced', decision('restrictive-report', 'bounced'), 'mail-refused'],
    ['claimed, not yet sent', decision('restrictive-report', 'sending'), 'sending'],
    ['to be retried', decision('restrictive-report', 'retryable'), 'sending'],
    ['DSL told it was withheld', decision('restrictive-report-withheld', 'sent'), 'dsl-alerted-withheld'],
    ['DSL told to give it another way', decision('restrictive-report-undeliverable', 'sent'), 'dsl-alerted-no-contact'],
  ];
  for (const [name, item, outcome] of cases) {
    it(`${name} → ${outcome}`, () => {
      expect(toEntry(item)).toEqual({
        kind: 'restrictive-report',
        occurredAt: at,
        eventId: 'ri-1',
        outcome,
        ...(item.reason ? { reason: item.reason } : {}),
        recipient: item.recipient,
      });
    });
  }

  it('other notices stay notification entries', () => {
    expect(toEntry(decision('force', 'sent'))?.kind).toBe('notification');
  });
});

describe('who sees a withheld report', () => {
  const record: ChronologyItem = {
    recordKind: 'event',
    type: 'restrictive.intervention.recorded',
    eventId: 'ri-1',
    occurredAt: at,
    data: { recordId: 'RI1', types: ['restraint'], parentReport: { withhold: true, reason: 'Father has threatened the pupil' } },
  };
  const entries = [record, decision('restrictive-report', 'suppressed', { reason: 'report-withheld' }), decision('restrictive-report-withheld', 'sent')].map(
    (item) => toEntry(item)!,
  );

  it('staff and leaders see that it was withheld, not why, and not the DSL alert', () => {
    for (const role of ['staff', 'leader'] as const) {
      const [shownRecord, shownDecision, shownAlert] = presentFor(role, entries, nothingRestricted)!;
      expect((shownRecord as Extract<ChronologyEntry, { data: unknown }>).data.parentReport).toEqual({ withhold: true });
      expect(shownDecision).toMatchObject({ kind: 'restrictive-report', outcome: 'withheld' });
      expect(shownAlert).toEqual({ kind: 'restricted', occurredAt: at });
      expect(JSON.stringify(presentFor(role, entries, nothingRestricted))).not.toContain('threatened');
    }
  });

  it('the DSL sees the reason and the alert', () => {
    expect(presentFor('dsl', entries, nothingRestricted)).toEqual(entries);
  });
});

describe('which items make the staff API read the pupil incidents', () => {
  it('every record that can follow an incident, and every decision', () => {
    const event = (type: string): ChronologyItem => ({ recordKind: 'event', type, data: {} });
    expect(mayBeRestricted(event('restrictive.intervention.recorded'))).toBe(true);
    expect(mayBeRestricted(event('incident.recorded'))).toBe(true);
    expect(mayBeRestricted(event('restorative.session.recorded'))).toBe(true);
    expect(mayBeRestricted(decision('restrictive-report', 'sent'))).toBe(true);
    expect(mayBeRestricted(event('intervention.started'))).toBe(false);
    expect(mayBeRestricted(event('outcome.measure.recorded'))).toBe(false);
    expect(mayBeRestricted(event('attendance.marked'))).toBe(false);
  });
});
