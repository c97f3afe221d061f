import { storageFaultTests } from '../reliability/storage-faults';

/** Quick scale for `npm test`; test/reliability/storage-faults.test.ts runs the full one. */
storageFaultTests({
  name: 'quick',
  sendersPerSchool: 2,
  eventsPerSender: 60,
  batchSize: 20,
  plan: { throttleEvery: 13, ackLostEvery: 19, maxFaults: 30, minimum: 5 },
  stall503s: 3,
  timeoutMs: 180_000,
});
