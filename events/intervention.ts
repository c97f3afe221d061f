import * as z from 'zod';
import { id, isoDate, pupilId, score, staffId, staffNotes, targetScores, text } from './common';
import { interventionKinds, interventionOutcomes } from './vocabulary';

export { interventionKinds, interventionOutcomes };

export const interventionStarted = z.object({
  interventionId: id,
  kind: z.enum(interventionKinds),
  title: z.string().min(1).max(200),
  staffId,
  startDate: isoDate,
  plannedSessions: z.number().int().min(0).max(1000).optional(),
  groupPupilIds: z.array(pupilId).max(100).optional(),
  targets: z
    .array(
      z.object({
        targetId: id,
        area: z.enum(['personal', 'social', 'learning', 'behavioural']),
        description: text,
        baseline: score,
        goal: score,
      }),
    )
    .max(50)
    .default([]),
});
export type InterventionStarted = z.infer<typeof interventionStarted>;

export const interventionSessionRecorded = z.object({
  interventionId: id,
  sessionId: id,
  date: isoDate,
  durationMinutes: z.number().int().min(0).max(1440),
  attended: z.boolean(),
  engagement: z.number().int().min(1).max(5).optional(),
  targetScores: targetScores.optional(),
  notes: staffNotes.optional(),
});
export type InterventionSessionRecorded = z.infer<typeof interventionSessionRecorded>;

export const interventionEnded = z.object({
  interventionId: id,
  endDate: isoDate,
  outcome: z.enum(interventionOutcomes),
  finalScores: targetScores.optional(),
  notes: staffNotes.optional(),
});
export type InterventionEnded = z.infer<typeof interventionEnded>;
