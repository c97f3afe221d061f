import { concurrencyTests } from '../reliability/concurrency';

/** Quick scale for `npm test`; test/reliability/concurrency.test.ts runs 50 × 100 and 5,000 marks. */
concurrencyTests({ name: 'quick', senders: 15, eventsPerSender: 40, batchSize: 20, burstBatches: 2, timeoutMs: 180_000 });
