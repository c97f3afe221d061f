import { addDays } from '../shared/domain/calendar';

/**
 * The corrections real MIS data carries, added to the demo term (`bench/demo.ts`) and
 * measured by `bench/corrections.ts` (issue 11).
 */
type Event = Record<string, unknown>;

/**
 * What an MIS sends later about the past: an unexplained absence (N) amended once a note or a
 * call arrives, two to four days on (mostly to I, illness; some to M, medical; some to /, a
 * register taken in error), and incidents re-sent one to three days on with more detail
 * (same incidentId and happenedAt, a new eventId, sometimes a revised severity or category).
 */
export function correctionsOf(events: Event[], rand: () => number): Event[] {
  const later = (date: string, days: number) => `${addDays(date, days)}T09:15:00+00:00`;
  const out: Event[] = [];
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'attendance.marked' && data.code === 'N' && rand() < 0.5) {
      const roll = rand();
      out.push({
        ...event,
        eventId: `${event.eventId}:amended`,
        occurredAt: later(String(data.date), 2 + Math.floor(rand() * 3)),
        data: { ...data, code: roll < 0.7 ? 'I' : roll < 0.85 ? 'M' : '/' },
      });
    }
    if (event.type === 'incident.recorded' && rand() < 0.2) {
      const date = String(event.occurredAt).slice(0, 10);
      const severity = Math.min(5, Number(data.severity) + (rand() < 0.4 ? 1 : 0));
      out.push({
        ...event,
        eventId: `${event.eventId}:v2`,
        occurredAt: later(date, 1 + Math.floor(rand() * 3)),
        data: { ...data, happenedAt: event.occurredAt, severity },
      });
    }
  }
  return out;
}
