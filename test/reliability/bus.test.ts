import { busTests } from './bus';

/** Full scale: 300 bus delivery cases, 600 events through the stream per case. */
busTests({ name: 'full', busRuns: 300, streamEvents: 600, timeoutMs: 300_000 });
