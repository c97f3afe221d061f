/**
 * How the table stream is handed to the publisher, in AWS (the event source mapping) and
 * on one machine (infra/local/stream-poller.ts) alike: batches of up to 100 records, a
 * failed batch retried from its first failed record 10 times, then its position written
 * to the dead-letter queue (a file locally) and the shard moves on. Nothing is skipped
 * silently: the dead letter names the records, and `tracker republish` announces them.
 */
export const streamDelivery = {
  batchSize: 100,
  retryAttempts: 10,
  maxRecordAgeHours: 24,
} as const;
