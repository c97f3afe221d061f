import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceMark, incident, interventionStarted, pupil } from '../support/events';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * Issue 10's leftover: a DynamoDB write that lands but whose answer is lost (a client-side
 * timeout under load) is retried by the SDK, and the retry meets the item its own first
 * attempt stored. That is this request's write: `accepted`, not `duplicate`. Another
 * request's copy of the same event is still `duplicate`.
 *
 * The fault sits below the SDK's retry middleware: the first call of the named command goes
 * through to DynamoDB Local, then fails as a request timeout would, so the SDK retries it
 * exactly as it does in production.
 */
let stack: TestStack;
let secret: string;
const armed = new Set<string>();
const hits: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  secret = await stack.addSchool({ schoolId: 'yew' });
  stack.adapters.table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName && armed.delete(context.commandName)) {
        hits.push(context.commandName);
        throw Object.assign(new Error('a request has exceeded the configured requestTimeout (injected, after the write landed)'), { name: 'TimeoutError' });
      }
      return result;
    },
    // deserialize runs inside each attempt, below the retry middleware (finalizeRequest).
    { step: 'deserialize', name: 'lostAnswer', priority: 'high' },
  );
});
afterAll(() => stack?.cleanup());

/** Posts the events with the first call of `command` answered by a timeout after it was applied. */
async function postWithLostAnswer(command: string, events: unknown[]) {
  armed.add(command);
  hits.length = 0;
  const response = await stack.post('yew', secret, { events });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(hits, `the ${command} answer was lost once`).toEqual([command]);
  return (response.body.results as { status: string }[]).map((result) => result.status);
}

describe('a write whose answer was lost and that the SDK retried', () => {
  it('new marks (batched INSERTs) are accepted', async () => {
    const marks = [1, 2, 3].map((n) => attendanceMark({ pupilId: `M-${n}` }));
    expect(await postWithLostAnswer('BatchExecuteStatementCommand', marks)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('a correction (one conditional UpdateItem) is accepted', async () => {
    await stack.post('yew', secret, { events: [attendanceMark({ pupilId: 'M-9', code: 'N', occurredAt: '2026-11-23T08:50:00Z' })] });
    const correction = attendanceMark({ pupilId: 'M-9', code: '/', occurredAt: '2026-11-23T09:30:00Z' });
    expect(await postWithLostAnswer('UpdateItemCommand', [correction])).toEqual(['accepted']);
  });

  it('an older mark arriving late (remembered, not applied) is accepted', async () => {
    await stack.post('yew', secret, { events: [attendanceMark({ pupilId: 'M-8', code: '/', occurredAt: '2026-11-23T09:30:00Z' })] });
    const late = attendanceMark({ pupilId: 'M-8', code: 'N', occurredAt: '2026-11-23T08:50:00Z' });
    // The INSERT meets the newer mark, the conditional update is refused (not applied), and
    // the late path's UpdateItem is the one whose answer is lost.
    expect(await postWithLostAnswer('UpdateItemCommand', [late])).toEqual(['accepted']);
  });

  it('a journal event stored as one item (INSERT) is accepted', async () => {
    expect(await postWithLostAnswer('BatchExecuteStatementCommand', [interventionStarted({ pupilId: 'J-1' })])).toEqual(['accepted']);
  });

  it('a journal event stored in a transaction (an incident and its version, a roster and its profile) is accepted', async () => {
    expect(await postWithLostAnswer('TransactWriteItemsCommand', [incident({ pupilId: 'J-2' })])).toEqual(['accepted']);
    expect(await postWithLostAnswer('TransactWriteItemsCommand', [pupil({ pupilId: 'J-3' })])).toEqual(['accepted']);
  });

  it('the same events sent again by another request are still duplicates', async () => {
    const events = [attendanceMark({ pupilId: 'D-1' }), interventionStarted({ pupilId: 'D-1' }), incident({ pupilId: 'D-1' })];
    expect((await stack.post('yew', secret, { events })).body.results.map((result: { status: string }) => result.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect((await stack.post('yew', secret, { events })).body.results.map((result: { status: string }) => result.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
  });
});
