import { fuzzTests } from './fuzz-suite';

/** The figure: at least 10,000 cases (10,000 in memory, 600 over HTTP, 200 URL paths). */
fuzzTests({ name: 'full', inMemoryRuns: 10_000, httpRuns: 600, pathRuns: 200, timeoutMs: 300_000 });
