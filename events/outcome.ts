import * as z from 'zod';
import { id, isoDate } from './common';

/**
 * `outcome.measure.recorded` (contract section 8): a standardised measure of one pupil.
 * Scale scores only: the SDQ's questionnaire items are licensed and are neither accepted
 * nor stored (docs/data-protection.md). Totals and bands are derived (shared/domain/sdq.ts).
 */
export const outcomeInstruments = ['sdq_teacher'] as const;

const scaleScore = (scale: string) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? `is required: the ${scale} scale score (0..10)` : 'must be a whole number 0..10') })
    .int({ error: 'must be a whole number 0..10' })
    .min(0, { error: 'must be a whole number 0..10' })
    .max(10, { error: 'must be a whole number 0..10' });

export const sdqScores = z.object(
  {
    emotional: scaleScore('emotional symptoms'),
    conduct: scaleScore('conduct problems'),
    hyperactivity: scaleScore('hyperactivity/inattention'),
    peer: scaleScore('peer relationship problems'),
    prosocial: scaleScore('prosocial behaviour'),
  },
  { error: (issue) => (issue.input === undefined ? 'is required: {"emotional","conduct","hyperactivity","peer","prosocial"}, each 0..10' : undefined) },
);
export type SdqScores = z.infer<typeof sdqScores>;

export const outcomeMeasureRecorded = z.object({
  measureId: id,
  instrument: z.enum(outcomeInstruments, { error: `must be one of: ${outcomeInstruments.join(', ')}` }),
  date: isoDate,
  interventionId: id.optional().describe('The intervention this measure was taken for, if any'),
  scores: sdqScores,
});
