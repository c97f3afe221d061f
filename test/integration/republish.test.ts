import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamDelivery } from '../../infra/stream-delivery';
import { incident, pupil } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Issue 10, item 3: a stored event whose announcement the bus keeps refusing is
 * dead-lettered after the stream's retries (as the AWS mapping does), never skipped
 * silently; `tracker republish` then announces it, and running it again sends nothing twice.
 */
let stack: TestStack;
let secret: string;
let busRefuses = true;
const today = new Date().toISOString().slice(0, 10);
const occurredAt = new Date().toISOString();
const refused = incident({ pupilId: 'R1', occurredAt, eventId: 'refused-incident', data: { detention: { date: today, minutes: 20 } } });
const announced = incident({ pupilId: 'R1', occurredAt, eventId: 'announced-incident', data: { detention: { date: today, minutes: 10 } } });

const tracker = (...args: string[]) => promisify(execFile)('node', ['bin/tracker.mjs', ...args], { env: { ...process.env, PORT: String(stack.port) } });

beforeAll(async () => {
  stack = await startTestStack({
    wrapPublisher: (bus) => ({
      publish: async (events) => {
        if (busRefuses && events.some((event) => event.detail.eventId === refused.eventId)) throw new Error('bus refuses the entry');
        return bus.publish(events);
      },
    }),
  });
  secret = await stack.addSchool({ schoolId: 'oak' });
  expect((await stack.post('oak', secret, { events: [pupil({ pupilId: 'R1', occurredAt })] })).status).toBe(200);
  await stack.flush();
  // Apart, so the refused one's dead-lettered range (it to its batch's end) can't hold the other.
  expect((await stack.post('oak', secret, { events: [announced] })).status).toBe(200);
  await stack.flush();
  expect((await stack.post('oak', secret, { events: [refused] })).status).toBe(200);
  await stack.flush();
});
afterAll(() => stack?.cleanup());

describe('a refused announcement is dead-lettered, then republished once', () => {
  it('the refused event is in the stream dead-letter file after every retry, and no parent heard of it', async () => {
    const letters = await stack.deadLetters('stream');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ condition: 'RetryAttemptsExhausted' });
    const parents = (await stack.outbox()).filter((entry) => entry.to.includes('sam.taylor@example.org'));
    expect(parents).toHaveLength(1); // the announced incident's detention notice only
    expect(streamDelivery.retryAttempts).toBe(10);
  });

  it("tracker republish announces the school's stored events again: the missing notice goes out, nothing is sent twice", async () => {
    busRefuses = false;
    const { stdout, stderr } = await tracker('republish', '--school', 'oak', '--since', today, '--json');
    await stack.flush();
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ schoolId: 'oak', since: today, until: today, weeks: 1 });
    expect(result.events).toEqual({ 'pupil.upserted': 1, 'incident.recorded': 2 });
    expect(stderr).toMatch(/republish: \d{4}-W\d{2} \(1\/1\), 3 events so far/);
    const parents = (await stack.outbox()).filter((entry) => entry.to.includes('sam.taylor@example.org'));
    expect(parents).toHaveLength(2);

    await tracker('republish', '--school', 'oak', '--since', today);
    await stack.flush();
    expect((await stack.outbox()).filter((entry) => entry.to.includes('sam.taylor@example.org'))).toHaveLength(2);
  });

  it('refuses bad dates and unknown schools with a one-line reason', async () => {
    await expect(tracker('republish', '--school', 'oak', '--since', '23/11/2026')).rejects.toMatchObject({
      stderr: expect.stringMatching(/^tracker: --since and --until must be dates/),
    });
    await expect(tracker('republish', '--school', 'nope', '--since', today)).rejects.toMatchObject({ stderr: 'tracker: no school with id nope\n' });
  });
});
