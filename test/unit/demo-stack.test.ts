import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoStack } from '../../bench/demo-stack';

/** A stand-in for `npm start`: answers /local/stack as the local stack does, with the storage given. */
let server: Server | undefined;
async function runningStack(info: Record<string, unknown>): Promise<number> {
  server = createServer((_, response) => response.end(JSON.stringify(info)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('where npm run demo posts (decision 0013)', () => {
  it('into the running stack when it keeps DynamoDB in memory', async () => {
    const port = await runningStack({ tableName: 'tracker', dynamodbStorage: 'memory' });
    expect(await demoStack(port, { useRunning: false })).toEqual({ port });
  });

  it('into a running stack on disk only when asked (--use-running-stack); one that does not say counts as on disk', async () => {
    const port = await runningStack({ tableName: 'tracker', dynamodbStorage: 'disk' });
    expect(await demoStack(port, { useRunning: true })).toEqual({ port });
    server!.close();
    const older = await runningStack({ tableName: 'tracker' });
    expect(await demoStack(older, { useRunning: true })).toEqual({ port: older });
  });
});
