import * as z from 'zod/mini';
import { eventTypes } from './event-types';

/**
 * What travels on the event bus. Deliberately thin: ids, dates and the flags the rules route
 * on, never names, contact details or notes. A target reads the stored record by `key`.
 */
export const storedEventSource = 'tracker.events';
export const rollupSource = 'tracker.rollups';

export const storedEventDetail = z.object({
  schoolId: z.string(),
  eventId: z.string(),
  type: z.enum(eventTypes),
  pupilIds: z.array(z.string()),
  occurredAt: z.string(),
  date: z.string(),
  week: z.string(),
  /** Always present (false by default) so rules can route on it exactly. */
  safeguardingConcern: z.boolean(),
  /** Attendance marks only: the DfE code, so the first-day-absence rule can match N, O and U. */
  attendanceCode: z.optional(z.string()),
  /** Attendance marks only: the N, O or U this mark replaced, when it no longer is one (a correction). */
  correctedFromCode: z.optional(z.string()),
  /** Restrictive interventions only: the parent-report decision (never its reason). */
  parentReport: z.optional(z.enum(['send', 'withhold'])),
  key: z.object({ pk: z.string(), sk: z.string() }),
});
export type StoredEventDetail = z.infer<typeof storedEventDetail>;

export const rollupRequestedDetail = z.object({
  schoolId: z.string(),
  week: z.string(),
  /** Whether the schools' leaders are emailed (the schedule and `tracker rollup` both do). */
  sendEmail: z._default(z.boolean(), true),
});
export type RollupRequestedDetail = z.infer<typeof rollupRequestedDetail>;

export const rollupCompletedDetail = z.object({ schoolId: z.string(), week: z.string() });
export type RollupCompletedDetail = z.infer<typeof rollupCompletedDetail>;

/** One entry for the bus: what the publisher port puts and the rules route. */
export interface BusEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}
