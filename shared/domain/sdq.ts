import type { SdqScores } from '../../events/outcome';

/**
 * The teacher-completed SDQ's four-band cut-offs (contract section 8), in one table: each
 * band's inclusive range of scores. Prosocial runs the other way (a low score is the
 * concern). Scale scores only: the questionnaire's items are licensed and never stored.
 */
export const sdqBands = ['close_to_average', 'slightly_raised', 'high', 'very_high'] as const;
export type SdqBand = (typeof sdqBands)[number];
export type SdqScale = keyof SdqScores | 'total';

type Range = readonly [min: number, max: number];

export const sdqTeacherCutOffs: Record<SdqScale, Record<SdqBand, Range>> = {
  total: { close_to_average: [0, 11], slightly_raised: [12, 15], high: [16, 18], very_high: [19, 40] },
  emotional: { close_to_average: [0, 3], slightly_raised: [4, 4], high: [5, 5], very_high: [6, 10] },
  conduct: { close_to_average: [0, 2], slightly_raised: [3, 3], high: [4, 4], very_high: [5, 10] },
  hyperactivity: { close_to_average: [0, 5], slightly_raised: [6, 7], high: [8, 8], very_high: [9, 10] },
  peer: { close_to_average: [0, 2], slightly_raised: [3, 4], high: [5, 5], very_high: [6, 10] },
  prosocial: { close_to_average: [6, 10], slightly_raised: [5, 5], high: [4, 4], very_high: [0, 3] },
};

export function sdqBand(scale: SdqScale, score: number): SdqBand {
  const band = sdqBands.find((name) => {
    const [min, max] = sdqTeacherCutOffs[scale][name];
    return score >= min && score <= max;
  });
  if (!band) throw new RangeError(`${scale} score ${score} is outside the SDQ's range`);
  return band;
}

export interface SdqDerived {
  /** emotional + conduct + hyperactivity + peer (prosocial is not a difficulty), 0..40. */
  totalDifficulties: number;
  bands: Record<SdqScale, SdqBand>;
}

export function deriveSdq(scores: SdqScores): SdqDerived {
  const totalDifficulties = scores.emotional + scores.conduct + scores.hyperactivity + scores.peer;
  return {
    totalDifficulties,
    bands: {
      total: sdqBand('total', totalDifficulties),
      emotional: sdqBand('emotional', scores.emotional),
      conduct: sdqBand('conduct', scores.conduct),
      hyperactivity: sdqBand('hyperactivity', scores.hyperactivity),
      peer: sdqBand('peer', scores.peer),
      prosocial: sdqBand('prosocial', scores.prosocial),
    },
  };
}

/** −1 moved to a lower (better) band, 0 stayed, +1 moved higher; by band order, not distance. */
export function bandMovement(before: SdqBand, after: SdqBand): -1 | 0 | 1 {
  const change = sdqBands.indexOf(after) - sdqBands.indexOf(before);
  return change < 0 ? -1 : change > 0 ? 1 : 0;
}
