import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../shared/adapters/aws/dynamodb';

/**
 * Amazon's DynamoDB Local, from the jar that the amplify-dynamodb-simulator npm package
 * ships, so `npm ci` is the only install step (Java 17 is the one system requirement).
 */
export interface DynamoDBLocal {
  endpoint: string;
  /** The JVM's process id (fault-injection tests pause it with SIGSTOP/SIGCONT). */
  pid: number;
  stop(): Promise<void>;
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'eu-west-2';

function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error('Java is needed for DynamoDB Local: install it with `sudo apt-get install -y openjdk-17-jre-headless` (or any Java 17+), then retry.');
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts DynamoDB Local on a free loopback port; `dataDir` persists, no `dataDir` is in memory. */
export async function startDynamoDBLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDBLocal> {
  assertJavaAvailable();
  const directory = emulatorDirectory();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xrs', // no JVM signal handlers: Ctrl-C or our SIGTERM ends it at once, no shutdown hooks to wait for
      `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(directory, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: false },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const client = documentClient({ endpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`);
    try {
      await client.send(new ListTablesCommand({}));
      client.destroy();
      return { endpoint, pid: child.pid!, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error('DynamoDB Local did not start within 30 s');
}
