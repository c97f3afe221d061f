import * as z from 'zod';
import { id, isoDate, pupilId, staffId, staffNotes, text } from './common';
import { restorativeFormats } from './vocabulary';

export { restorativeFormats };

const participant = z.union(
  [
    z.object({ pupilId, role: z.enum(['harmed', 'responsible', 'supporter', 'facilitator']) }),
    z.object({ staffId, role: z.enum(['harmed', 'responsible', 'supporter', 'facilitator']) }),
  ],
  { error: 'each participant needs a pupilId or a staffId, and a role' },
);

export const restorativeSessionRecorded = z.object({
  sessionId: id,
  date: isoDate,
  format: z.enum(restorativeFormats),
  participants: z
    .array(participant)
    .min(1)
    .max(50)
    .refine((people) => people.some((person) => 'pupilId' in person), {
      error: 'at least one participant must be a pupil',
    }),
  incidentId: id.optional(),
  agreementReached: z.boolean().optional(),
  followUpDate: isoDate.optional(),
  /** The only free text of a restorative session that may be shared with parents. */
  summaryForParents: text.optional(),
  notes: staffNotes.optional(),
});
export type RestorativeSessionRecorded = z.infer<typeof restorativeSessionRecorded>;
