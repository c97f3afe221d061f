import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmod, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../shared/adapters/aws/dynamodb';
import { makePrivateDir, privateDirMode } from '../../shared/adapters/local/private-files';
import type { LocalCredentials } from './credentials';

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

export const localRegion = 'eu-west-2';

/**
 * The only origin DynamoDB Local may answer CORS for: `.invalid` never resolves (RFC 2606),
 * so no web page has it. Its default (`*`) is documented as "public access"; 1.25.1 sends no
 * Access-Control-Allow-Origin even then, but we don't rely on a default.
 */
export const noWebOrigin = 'https://no-origin.invalid';

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

/** DynamoDB Local's file for one access key id and region (without `-sharedDb`). */
const databaseFile = (dataDir: string, credentials: LocalCredentials) => join(dataDir, `${credentials.accessKeyId}_${localRegion}.db`);

/**
 * A folder from before per-key databases holds `shared-local-instance.db`: it becomes this
 * key's database, so upgrading keeps the data (and nobody else's key opens it).
 */
async function adoptSharedDatabase(dataDir: string, credentials: LocalCredentials): Promise<void> {
  const shared = join(dataDir, 'shared-local-instance.db');
  const own = databaseFile(dataDir, credentials);
  if ((await stat(shared).catch(() => undefined)) && !(await stat(own).catch(() => undefined))) await rename(shared, own);
}

/**
 * Spawns with umask 077 so the files the JVM creates (the database) are owner-only from their
 * first byte, whatever the user's umask. The child copies the umask when it is spawned, so
 * it is restored right after; no shell is needed. (Worker threads may not set it: the 0700
 * folder still guards the files there.)
 */
function spawnOwnerOnly(command: string, args: string[], options: SpawnOptions): ChildProcess {
  let previous: number | undefined;
  try {
    previous = process.umask(0o077);
  } catch {
    previous = undefined;
  }
  try {
    return spawn(command, args, options);
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

/**
 * Starts DynamoDB Local on a free port; `dataDir` persists, no `dataDir` is in memory. It
 * listens on every interface (no bind option), so only `credentials` opens this database.
 */
export async function startDynamoDBLocal(options: { dataDir?: string; port?: number; credentials: LocalCredentials }): Promise<DynamoDBLocal> {
  assertJavaAvailable();
  const { credentials } = options;
  const directory = emulatorDirectory();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) {
    await makePrivateDir(options.dataDir);
    await chmod(options.dataDir, privateDirMode); // an older, 755 folder too
    await adoptSharedDatabase(options.dataDir, credentials);
  }
  const child = spawnOwnerOnly(
    'java',
    [
      '-Xrs', // no JVM signal handlers: Ctrl-C or our SIGTERM ends it at once, no shutdown hooks to wait for
      `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(directory, 'DynamoDBLocal.jar'),
      ...storage,
      // No -sharedDb: one database per access key id, so a caller without ours sees none of it.
      '-cors',
      noWebOrigin,
      '-disableTelemetry', // a school laptop's stack calls no one
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
  const client = documentClient({ endpoint, region: localRegion, credentials, maxAttempts: 1 });
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
