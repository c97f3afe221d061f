import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSecret } from '../../shared/services/schools';
import { sign } from '../../shared/domain/signature';
import { startTestStack, type TestStack } from '../support/local-stack';
import { fuzzSchool } from './webhook-fuzz/events';
import { fuzzOverHttp, pathSegments } from './webhook-fuzz/http';
import { fuzzInMemory } from './webhook-fuzz/memory';
import fc from 'fast-check';

/**
 * Bad input (docs/reliability.md): the webhook fuzzed with fast-check, in memory for the
 * bulk of the cases and over HTTP against DynamoDB Local for the rest.
 */
export interface FuzzScale {
  name: string;
  inMemoryRuns: number;
  httpRuns: number;
  pathRuns: number;
  timeoutMs: number;
}

export function fuzzTests(scale: FuzzScale) {
  describe(`webhook fuzzing: receiveWebhook with in-memory ports shaped like DynamoDB [${scale.name}]`, () => {
    it(
      `${scale.inMemoryRuns} cases: never a 5xx, one result per event, a path in every error, nothing rejected stored`,
      async () => {
        const started = performance.now();
        const tally = await fuzzInMemory(scale.inMemoryRuns);
        expect(tally.cases).toBe(scale.inMemoryRuns);
        // The generator reaches every answer the contract has.
        for (const status of [200, 207, 400, 401, 413, 415, 422]) expect(tally.byStatus[status] ?? 0, `cases answered ${status}`).toBeGreaterThan(0);
        console.info(`[figures] fuzz in memory [${scale.name}]`, JSON.stringify({ ...tally, ms: Math.round(performance.now() - started) }));
      },
      scale.timeoutMs,
    );
  });

  describe(`webhook fuzzing over HTTP against DynamoDB Local [${scale.name}]`, () => {
    let stack: TestStack;
    const now = new Date('2026-11-23T09:00:00Z');
    let secrets: { current: string; previous: string; retired: string };
    let otherSchoolSecret: string;
    beforeAll(async () => {
      stack = await startTestStack({ clock: { now: () => now } });
      const retired = await stack.addSchool({ schoolId: fuzzSchool.schoolId });
      const previous = (await rotateSecret(fuzzSchool.schoolId, stack.adapters)).webhookSecret;
      const current = (await rotateSecret(fuzzSchool.schoolId, stack.adapters)).webhookSecret;
      secrets = { current, previous, retired };
      // Not an id the fuzzer sends to: its secret must sign for no school the case names.
      otherSchoolSecret = await stack.addSchool({ schoolId: 'fuzz-neighbour' });
    });
    afterAll(() => stack?.cleanup());

    it(
      `${scale.httpRuns} cases: never a 5xx; the table holds exactly the events answered accepted`,
      async () => {
        const started = performance.now();
        const run = await fuzzOverHttp({ url: stack.url, table: stack.adapters.table, now: () => now, secrets, otherSchoolSecret }, scale.httpRuns);
        expect(run.rejectedAndStored, 'rejected events found in the table').toEqual([]);
        expect(run.acceptedNotStored, 'accepted events missing from the table').toEqual([]);
        expect(run.storedNotAccepted, 'events in the table never answered accepted').toEqual([]);
        expect(run.missedByScan, 'accepted events found by GetItem but not by the Scan').toBe(0);
        expect(run.tally.cases).toBeGreaterThan(scale.httpRuns * 0.9);
        const { rejectedAndStored, acceptedNotStored, storedNotAccepted, ...figures } = run;
        console.info(`[figures] fuzz over HTTP [${scale.name}]`, JSON.stringify({ ...figures, ms: Math.round(performance.now() - started) }));
      },
      scale.timeoutMs,
    );

    it(
      `${scale.pathRuns} school ids in the URL (malformed escapes, traversal, long): 401 or 404, never a 5xx`,
      async () => {
        const statuses: Record<number, number> = {};
        const body = JSON.stringify({
          events: [
            {
              eventId: 'path-probe',
              type: 'attendance.marked',
              occurredAt: '2026-11-23T08:50:00Z',
              pupilId: 'P1',
              data: { date: '2026-11-23', session: 'AM', code: '/' },
            },
          ],
        });
        await fc.assert(
          fc.asyncProperty(pathSegments, async (segment) => {
            const timestamp = String(Math.floor(now.getTime() / 1000));
            const response = await fetch(`${stack.url}/v1/schools/${segment}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-tracker-timestamp': timestamp, 'x-tracker-signature': sign(secrets.current, timestamp, body) },
              body,
            });
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            expect(JSON.parse(await response.text())).toBeTypeOf('object');
            expect([401, 404], segment.slice(0, 80)).toContain(response.status);
          }),
          { numRuns: scale.pathRuns },
        );
        console.info(`[figures] fuzz URL school ids [${scale.name}]`, JSON.stringify({ cases: scale.pathRuns, statuses }));
      },
      scale.timeoutMs,
    );
  });
}
