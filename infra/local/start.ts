import { parseArgs } from 'node:util';
import { startLocalStack } from './stack';

/**
 * `npm start [-- --fresh] [-- --in-memory] [-- --data-dir DIR]`: the whole system on one machine, until Ctrl-C.
 * --in-memory keeps DynamoDB in memory (gone at Ctrl-C; the outbox stays in .local/): DynamoDB
 * Local on disk commits each item with its own fsynced SQLite transaction, 30–80× slower.
 */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    'in-memory': { type: 'boolean', default: false },
    // `npm run demo`'s own stack keeps its files apart from the user's (.local/demo).
    'data-dir': { type: 'string', default: '.local' },
    // The deployed `mailConcurrency` context value (default 2): mail-sending deliveries at a time.
    'mail-concurrency': { type: 'string' },
  },
});
const port = Number(process.env.PORT ?? 3000);

try {
  const stack = await startLocalStack({
    port,
    dataDir: values['data-dir'],
    fresh: values.fresh,
    inMemory: values['in-memory'],
    mailConcurrency: values['mail-concurrency'] ? Number(values['mail-concurrency']) : undefined,
  });
  console.log(`Intervention tracker local stack ready at ${stack.url}`);
  console.log(`  webhook  POST ${stack.url}/v1/schools/{schoolId}/events`);
  console.log(`  outbox   ${stack.url}/local/outbox.html`);
  console.log(
    values['in-memory']
      ? `  data     in memory until Ctrl-C (outbox in ${values['data-dir']}/outbox/)`
      : `  data     ${values['data-dir']}/ (start with --fresh to begin empty)`,
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping (DynamoDB Local too)…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  console.error(`Could not start the local stack: ${(error as Error).message}`);
  process.exit(1);
}
