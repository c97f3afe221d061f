import { fuzzTests } from '../reliability/fuzz-suite';

/** Quick scale for `npm test`; test/reliability/fuzz.test.ts runs over 10,000 cases. */
fuzzTests({ name: 'quick', inMemoryRuns: 300, httpRuns: 40, pathRuns: 30, timeoutMs: 120_000 });
