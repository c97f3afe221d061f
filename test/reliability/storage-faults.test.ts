import { storageFaultTests } from './storage-faults';

/** Full scale: 2 schools × 4 senders × 150 events under injected faults; 2 × 4 × 150 through a SIGSTOP. */
storageFaultTests({
  name: 'full',
  sendersPerSchool: 4,
  eventsPerSender: 150,
  batchSize: 30,
  plan: { throttleEvery: 17, ackLostEvery: 23, maxFaults: 120, minimum: 20 },
  stall503s: 8,
  timeoutMs: 300_000,
});
