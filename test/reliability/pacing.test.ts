import { pacingTests } from './pacing';

/** Full scale: 2,000 parents' notices (400 pupils × 5 detentions) in one burst. */
pacingTests({ name: 'full', pupils: 400, noticesPerPupil: 5, timeoutMs: 1_200_000 });
