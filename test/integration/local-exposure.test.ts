import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, QueryCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTarget } from '../../infra/cli/targets';
import { credentialsFileName, randomLocalCredentials } from '../../infra/local/credentials';
import { localRegion } from '../../infra/local/dynamodb-local';
import { localTableName } from '../../infra/local/stack';
import type { Mailer } from '../../shared/ports';
import { incident, pupil } from '../support/events';
import { listeningSockets, processTree, type ListeningSocket } from '../support/listening-ports';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Issue 16: nothing the local stack starts serves pupil data beyond this machine. The stack
 * runs on a persistent data folder (so file modes are real), every port its processes listen
 * on is found from /proc, and each one open beyond loopback is called, over 127.0.0.1 only,
 * with an access key nobody was given.
 */
const unreachable = 'unreachable@example.org';
const failingMailer = (mailer: Mailer): Mailer => ({
  send: async (message) => {
    if (message.to.includes(unreachable)) throw new Error('mailbox unreachable');
    return mailer.send(message);
  },
});

let root: string;
let dataDir: string;
let stack: TestStack;
let pupilKey: { pk: { S: string }; sk: { S: string } };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tracker-exposure-'));
  dataDir = join(root, '.local');
  // As older versions left it: a 755 folder with a 644 file.
  await mkdir(dataDir);
  await chmod(dataDir, 0o755);
  await writeFile(join(dataDir, 'scheduler.json'), '{}');
  await chmod(join(dataDir, 'scheduler.json'), 0o644);

  stack = await startTestStack({ dataDir, inMemory: false, wrapMailer: failingMailer });
  const secret = await stack.addSchool({ schoolId: 'oak' });
  const now = stack.adapters.clock.now().toISOString();
  const contact = (email: string) => ({
    data: { contacts: [{ contactId: 'C1', name: 'Carer', relationship: 'mother', parentalResponsibility: true, email, notify: true }] },
  });
  const force = { category: 'physical', severity: 3, physicalIntervention: { used: true, injury: false } };
  const events = [
    pupil({ pupilId: 'P001', occurredAt: now, ...contact('carer.p001@example.org') }),
    pupil({ pupilId: 'P002', occurredAt: now, ...contact(unreachable) }),
  ];
  expect((await stack.post('oak', secret, { events })).status).toBe(200);
  await stack.flush();
  // Reasonable force: an .eml for P001's carer, a dead letter for P002's.
  const incidents = [incident({ pupilId: 'P001', occurredAt: now, data: force }), incident({ pupilId: 'P002', occurredAt: now, data: force })];
  expect((await stack.post('oak', secret, { events: incidents })).status).toBe(200);
  await stack.flush();

  // With the stack's own key the pupil is there (so "not found" below means something).
  const { Items = [] } = await stack.adapters.table.client.send(new ScanCommand({ TableName: localTableName }));
  const item = Items.find((candidate) => candidate.pupilId === 'P001' && typeof candidate.pk === 'string');
  expect(item).toBeDefined();
  pupilKey = { pk: { S: item!.pk as string }, sk: { S: item!.sk as string } };
});

afterAll(async () => {
  await stack?.cleanup();
  await rm(root, { recursive: true, force: true });
});

/** A DynamoDB client on 127.0.0.1:port with an access key the stack never gave out. */
const strangerAt = (port: number) =>
  new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: localRegion, credentials: randomLocalCredentials(), maxAttempts: 1 });

const notFound = (call: Promise<unknown>) => expect(call).rejects.toBeInstanceOf(ResourceNotFoundException);

/** GET over 127.0.0.1 with the Host/Origin a browser would send (fetch can't set Host). */
const statusOf = (port: number, path: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).once('error', reject);
  });

async function walk(path: string): Promise<{ path: string; mode: number }[]> {
  const info = await lstat(path);
  const children = info.isDirectory() ? await readdir(path) : [];
  return [{ path, mode: info.mode & 0o777 }, ...(await Promise.all(children.map((name) => walk(join(path, name))))).flat()];
}

describe('the local stack exposes nothing beyond this machine', () => {
  let sockets: ListeningSocket[];
  const dynamodbPort = () => Number(new URL(stack.dynamodbEndpoint).port);

  beforeAll(() => {
    const pids = processTree(process.pid);
    expect(pids).toContain(stack.dynamodbPid);
    sockets = listeningSockets(pids);
  });

  it('finds every listening port of the stack, the HTTP API and DynamoDB Local among them', () => {
    const ports = new Set(sockets.map((socket) => socket.port));
    expect(ports).toContain(stack.port);
    expect(ports).toContain(dynamodbPort());
    console.info('[figures] listening sockets', JSON.stringify(sockets.map(({ pid, address, port }) => ({ pid, address, port }))));
  });

  it('binds loopback only, except DynamoDB Local (which has no bind option)', () => {
    const beyondLoopback = sockets.filter((socket) => !socket.loopback);
    expect(
      beyondLoopback.every((socket) => socket.wildcard),
      'bound to one non-loopback address',
    ).toBe(true);
    expect([...new Set(beyondLoopback.map((socket) => socket.port))]).toEqual(beyondLoopback.length ? [dynamodbPort()] : []);
    expect(sockets.filter((socket) => socket.port === stack.port).every((socket) => socket.loopback)).toBe(true);
  });

  it('every port open beyond loopback shows an unknown access key no table and no item', async () => {
    const ports = [...new Set(sockets.filter((socket) => !socket.loopback).map((socket) => socket.port))];
    for (const port of ports) {
      const stranger = strangerAt(port);
      try {
        expect((await stranger.send(new ListTablesCommand({}))).TableNames, `port ${port}`).toEqual([]);
        await notFound(stranger.send(new GetItemCommand({ TableName: localTableName, Key: pupilKey })));
        await notFound(
          stranger.send(new QueryCommand({ TableName: localTableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pupilKey.pk } })),
        );
      } finally {
        stranger.destroy();
      }
    }
  });

  it('DynamoDB Local lets no web page read it (no Access-Control-Allow-Origin for other origins)', async () => {
    const origin = 'https://evil.example';
    const preflight = await fetch(stack.dynamodbEndpoint, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-target' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const call = await fetch(stack.dynamodbEndpoint, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(call.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the HTTP API answers no web page: a rebound host name or a foreign Origin gets 403', async () => {
    expect(await statusOf(stack.port, '/local/outbox', {})).toBe(200);
    expect(await statusOf(stack.port, '/local/outbox', { host: 'localhost' })).toBe(200);
    expect(await statusOf(stack.port, '/local/outbox', { host: `rebound.example:${stack.port}` })).toBe(403);
    expect(await statusOf(stack.port, '/local/outbox', { origin: 'https://evil.example' })).toBe(403);
    expect(await statusOf(stack.port, '/local/outbox', { origin: 'null' })).toBe(403);
  });

  it('the CLI opens the database with the key stored in the data folder', async () => {
    const target = await localTarget(stack.port);
    expect((await target.schools.list()).map((school) => school.schoolId)).toEqual(['oak']);
  });

  it('data survives a restart (same key), and a folder from -sharedDb days keeps its data under a new key', async () => {
    const key = stack.dynamodbCredentials;
    const restart = async () => {
      await stack.stop();
      stack = await startTestStack({ dataDir, inMemory: false });
      const { Items = [] } = await stack.adapters.table.client.send(new ScanCommand({ TableName: localTableName }));
      return Items.some((item) => item.pupilId === 'P001');
    };
    expect(await restart()).toBe(true);
    expect(stack.dynamodbCredentials).toEqual(key);
    // An older version's folder: one shared database file, no key.
    await rename(join(dataDir, 'dynamodb', `${key.accessKeyId}_${localRegion}.db`), join(dataDir, 'dynamodb', 'shared-local-instance.db'));
    await rm(join(dataDir, credentialsFileName));
    expect(await restart()).toBe(true);
    expect(stack.dynamodbCredentials.accessKeyId).not.toBe(key.accessKeyId);
  }, 240_000);

  it('.local/ and everything in it is owner-only (older 755/644 entries tightened)', async () => {
    const entries = await walk(dataDir);
    const open = entries.filter((entry) => (entry.mode & 0o077) !== 0).map((entry) => `${relative(dataDir, entry.path) || '.'} ${entry.mode.toString(8)}`);
    expect(open).toEqual([]);
    // …and the check covered each kind of file the stack writes.
    const names = entries.map((entry) => relative(dataDir, entry.path));
    for (const expected of ['credentials.json', 'scheduler.json', 'stream-checkpoints.json', 'dead-letters/parentNotifications.jsonl'])
      expect(names).toContain(expected);
    expect(names.some((name) => name.startsWith('outbox/') && name.endsWith('.eml'))).toBe(true);
    expect(names.some((name) => name.startsWith('dynamodb/') && name.endsWith('.db'))).toBe(true);
    console.info('[figures] .local entries checked', entries.length);
  });
});
