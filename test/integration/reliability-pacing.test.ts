import { pacingTests } from '../reliability/pacing';

/** Quick scale for `npm test`; test/reliability/pacing.test.ts sends 2,000 notices. */
pacingTests({ name: 'quick', pupils: 20, noticesPerPupil: 5, timeoutMs: 120_000 });
