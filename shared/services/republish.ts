import { weeksBetween } from '../domain/calendar';
import type { StoredItem } from '../ports';

/**
 * `tracker republish`: announces a school's stored events again, from the table, exactly
 * as the stream announced them (the same publisher function builds the bus entries). For
 * events a dead-lettered stream batch or a bus outage left unannounced. Safe to run twice:
 * every consumer is idempotent (a decision or a rollup is made once per event).
 */
export interface RepublishDeps {
  storedEventsOfWeek(schoolId: string, week: string): Promise<StoredItem[]>;
  /** Hands stored items to the publisher as stream records would. */
  announce(items: StoredItem[]): Promise<void>;
  progress?(done: { week: string; weeks: number; of: number; events: number }): void;
}

export interface RepublishResult {
  schoolId: string;
  since: string;
  until: string;
  weeks: number;
  events: Record<string, number>;
}

/** Publisher batches: the stream mapping's batch size. */
const batchSize = 100;

export async function republish(input: { schoolId: string; since: string; until: string }, deps: RepublishDeps): Promise<RepublishResult> {
  const { schoolId, since, until } = input;
  const weeks = weeksBetween(since, until);
  const events: Record<string, number> = {};
  let total = 0;
  for (const [index, week] of weeks.entries()) {
    const items = (await deps.storedEventsOfWeek(schoolId, week)).filter((item) => {
      const date = item.date as string;
      return date >= since && date <= until;
    });
    for (let start = 0; start < items.length; start += batchSize) await deps.announce(items.slice(start, start + batchSize));
    for (const item of items) events[item.type as string] = (events[item.type as string] ?? 0) + 1;
    total += items.length;
    deps.progress?.({ week, weeks: index + 1, of: weeks.length, events: total });
  }
  return { schoolId, since, until, weeks: weeks.length, events };
}
