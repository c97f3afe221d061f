import { concurrencyTests } from './concurrency';

/** The figures: 50 senders × 100 events (10% duplicates) over three schools; 5,000 marks in 10 batches. */
concurrencyTests({ name: 'full', senders: 50, eventsPerSender: 100, batchSize: 25, burstBatches: 10, timeoutMs: 300_000 });
