import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makePrivateDir } from '../shared/adapters/local/private-files';

/**
 * Where `npm run demo` posts (docs/decisions/0013-demo-in-memory.md). DynamoDB Local on disk
 * commits each item in its own fsynced SQLite transaction (~45 items/s on the development
 * machine, 3,000+ in memory), so the demo posts into a running stack only if it keeps DynamoDB
 * in memory; otherwise it starts `npm start -- --in-memory` of its own, with its files in
 * `.local/demo/`, and leaves the user's stack and `.local/` data alone. Its own process, as
 * `npm start` is: the stack's handlers then get a core of their own, not the sender's.
 */
export interface DemoStack {
  port: number;
  /** The demo's own stack, when it started one. */
  own?: ChildProcess;
}

const demoDataDir = join('.local', 'demo');
const stackLog = join('.local', 'demo-stack.log');

async function runningStorage(port: number): Promise<'memory' | 'disk' | undefined> {
  const info = await fetch(`http://127.0.0.1:${port}/local/stack`)
    .then((response) => response.json() as Promise<{ dynamodbStorage?: 'memory' | 'disk' }>)
    .catch(() => undefined);
  // A stack from before the field was added said nothing: it may be on disk.
  return info && (info.dynamodbStorage ?? 'disk');
}

/** A free port: `port` itself when nothing listens there. */
const freePort = (port: number) =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', () => (port === 0 ? reject(new Error('no free port')) : resolve(freePort(0))));
    server.listen(port, '127.0.0.1', () => {
      const { port: chosen } = server.address() as { port: number };
      server.close(() => resolve(chosen));
    });
  });

async function startOwn(port: number): Promise<ChildProcess> {
  await makePrivateDir('.local');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join('infra', 'local', 'start.ts'), '--fresh', '--in-memory', '--data-dir', demoDataDir, '--mail-concurrency', '8'],
    {
      // The stack logs a line per request at INFO: to its log file, at WARN unless asked otherwise.
      env: { ...process.env, PORT: String(port), POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
      stdio: ['ignore', openSync(stackLog, 'w', 0o600), 'inherit'],
    },
  );
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the demo's stack exited (${code}): see ${stackLog}`))));
  for (const started = Date.now(); Date.now() - started < 120_000; ) {
    if (await Promise.race([runningStorage(port), exited])) return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`the demo's stack did not start within 2 minutes: see ${stackLog}`);
}

export async function demoStack(port: number, options: { useRunning: boolean }): Promise<DemoStack> {
  const storage = await runningStorage(port);
  if (storage === 'memory' || (storage === 'disk' && options.useRunning)) return { port };
  if (storage === 'disk') {
    console.log(
      `The stack at :${port} keeps DynamoDB on disk (~45 items/s: 10+ minutes for this demo). The demo runs on its own ` +
        'in-memory stack instead; your stack and .local/ are left alone (--use-running-stack posts into it anyway).',
    );
  }
  const ownPort = await freePort(storage ? 0 : port);
  const own = await startOwn(ownPort);
  console.log(`Demo stack (DynamoDB in memory, files in ${demoDataDir}/, log ${stackLog}) at http://127.0.0.1:${ownPort}`);
  return { port: ownPort, own };
}

const stop = (own: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (own.exitCode !== null) return resolve();
    own.once('exit', () => resolve());
    own.kill('SIGTERM');
  });

/** Runs the demo; then the demo's own stack serves the outbox, staff app and CLI until Ctrl-C (--exit, or a failure: stops it). */
export async function runOn(stack: DemoStack, demo: () => Promise<void>, exit: boolean): Promise<void> {
  const own = stack.own;
  await demo().catch(async (error) => {
    if (own) await stop(own);
    throw error;
  });
  if (!own) return;
  if (exit) return stop(own);
  console.log(`Serving the demo stack at http://127.0.0.1:${stack.port} (staff app: /app/ once \`npm run build:app\` has run) until Ctrl-C.`);
  // Ctrl-C reaches the stack too (same process group); it stops itself, DynamoDB Local with it.
  await new Promise((resolve) => own.once('exit', resolve));
}
