import type { JournalRecord } from './types';

/**
 * Records are folded in one deterministic order, whatever order a Query returned them in,
 * so a re-run (or a rebuild) adds the same numbers in the same order and stores the same
 * figures to the last bit.
 */
export function recordOrder(a: JournalRecord, b: JournalRecord): number {
  return compareText(a.date, b.date) || compareText(a.occurredAtUtc, b.occurredAtUtc) || compareText(a.eventId, b.eventId);
}

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One record per key (an incident, a restorative session… sent again under a new eventId as
 * an amendment): the latest occurredAt wins. Input must be sorted by recordOrder.
 */
export function latestPerKey(records: JournalRecord[], keyOf: (record: JournalRecord) => string): JournalRecord[] {
  const latest = new Map<string, JournalRecord>();
  for (const record of records) {
    const key = keyOf(record);
    const current = latest.get(key);
    if (!current || current.occurredAtUtc <= record.occurredAtUtc) latest.set(key, record);
  }
  return [...latest.values()].sort(recordOrder);
}
