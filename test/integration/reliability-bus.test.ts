import { busTests } from '../reliability/bus';

/** Quick scale for `npm test`; test/reliability/bus.test.ts runs more cases and events. */
busTests({ name: 'quick', busRuns: 40, streamEvents: 120, timeoutMs: 120_000 });
