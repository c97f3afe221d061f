import * as z from 'zod';
import { id, isoDate, staffNotes } from './common';

export const incidentRecorded = z.object({
  incidentId: id,
  /**
   * When the incident happened, when this version was recorded later (an amendment):
   * every version is filed under this week. Defaults to the event's occurredAt.
   */
  happenedAt: z.iso
    .datetime({ offset: true, error: 'must be RFC 3339 with an offset, e.g. 2026-11-23T08:50:00Z' })
    .optional()
    .describe('When the incident happened (RFC 3339); defaults to occurredAt. Send the same value with every amended version.'),
  category: z.string().min(1).max(100),
  severity: z.number().int().min(1).max(5),
  location: z.string().max(200).optional(),
  physicalIntervention: z
    .object({
      used: z.boolean(),
      technique: z.string().max(200).optional(),
      durationMinutes: z.number().int().min(0).max(1440).optional(),
      injury: z.boolean(),
    })
    .optional(),
  detention: z.object({ date: isoDate, minutes: z.number().int().min(1).max(600) }).optional(),
  safeguardingConcern: z.boolean().optional(),
  notes: staffNotes.optional(),
});
export type IncidentRecorded = z.infer<typeof incidentRecorded>;
