import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrument, type Meter } from '../../bench/meter';
import { weekSortPrefix } from '../../shared/domain/keys';
import { table } from '../../shared/domain/table';
import type { NotificationDecisionItem } from '../../shared/ports';
import { decisionItem, sentMessageOf, type DecisionContext } from '../../shared/services/notifications';
import { startTestStack, type TestStack } from '../support/local-stack';

/**
 * How a notification decision is written (docs/decisions/0012-decision-index-on-outcome.md):
 * the claim with its week entry but not its chronology entry, the sent-message item, then the
 * outcome with both index entries; a claim found unfinished is added to the chronology by
 * whoever meets it; SES feedback quicker than the outcome keeps its status.
 */
let stack: TestStack;
let meter: Meter;
beforeAll(async () => {
  stack = await startTestStack();
  meter = instrument(stack.adapters.table.client);
});
afterAll(() => stack?.cleanup());

const week = '2026-W48';
const context = (decidedAt: string): DecisionContext => ({
  schoolId: 'elm',
  eventId: 'mark-1',
  eventType: 'attendance.marked',
  week,
  decidedAt: new Date(decidedAt),
  timezone: 'Europe/London',
  category: 'parent-notification',
});
const decision = (pupilId: string, decidedAt = '2026-11-23T09:00:00Z') =>
  decisionItem(
    context(decidedAt),
    { pupilId, kind: 'absence', dedupKey: 'absence#2026-11-23', recipient: { contactId: 'c#1', relationship: 'mother', email: 'mum@example.org' } },
    'sending',
  );

const stored = async (item: NotificationDecisionItem) =>
  (await stack.adapters.table.client.send(new GetCommand({ TableName: stack.adapters.table.tableName, Key: { pk: item.pk, sk: item.sk } }))).Item;

async function weekDecisions() {
  const { byWeek } = table.indexes;
  const { Items = [] } = await stack.adapters.table.client.send(
    new QueryCommand({
      TableName: stack.adapters.table.tableName,
      IndexName: byWeek.name,
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'SCHOOL#elm#WEEK#2026-W48', ':prefix': weekSortPrefix('notification') },
    }),
  );
  return Items;
}

describe('a sent decision', () => {
  it('is claimed on the week index only and added to the chronology by its outcome: 6 WCU in all (was 3 + a 2× transaction)', async () => {
    const item = decision('P-1');
    meter.reset();
    expect(await stack.adapters.notifications.claim(item)).toEqual({ claimed: true });
    // The item and its week entry.
    expect(meter.snapshot().wcu).toBe(2);
    expect(await stored(item)).toMatchObject({ gsi2pk: item.gsi2pk, gsi2sk: item.gsi2sk });
    expect(await stored(item)).not.toHaveProperty('gsi3pk');

    await stack.adapters.notifications.markSent(item, { messageId: 'm-1', sentAt: '2026-11-23T09:00:01Z' }, sentMessageOf(item, 'm-1'));
    // Claim 2 + sent-message item 1 + outcome (item, week index, chronology) 3.
    expect(meter.snapshot().wcu).toBe(6);
    expect(await stored(item)).toMatchObject({
      status: 'sent',
      messageId: 'm-1',
      gsi2pk: item.gsi2pk,
      gsi2sk: item.gsi2sk,
      gsi3pk: item.gsi3pk,
      gsi3sk: item.gsi3sk,
    });
    expect(await stack.adapters.mailFeedback.sentMessage('m-1')).toMatchObject({ decisionKey: { pk: item.pk, sk: item.sk } });
    expect((await weekDecisions()).map((found) => found.pupilId)).toContain('P-1');
  });

  it('keeps the status SES feedback gave it when the feedback came first', async () => {
    const item = decision('P-2');
    await stack.adapters.notifications.claim(item);
    await stack.adapters.mailFeedback.recordFeedback(
      { pk: item.pk, sk: item.sk },
      { status: 'bounced', reason: 'Permanent bounce', at: '2026-11-23T09:00:02Z' },
    );
    await stack.adapters.notifications.markSent(item, { messageId: 'm-2', sentAt: '2026-11-23T09:00:01Z' }, sentMessageOf(item, 'm-2'));
    expect(await stored(item)).toMatchObject({ status: 'bounced', messageId: 'm-2', feedbackReason: 'Permanent bounce', gsi2pk: item.gsi2pk });
  });
});

describe('a claim left unfinished (a delivery crashed between claim and outcome)', () => {
  it('counts in the week from its claim, and the retry that meets it adds it to the chronology', async () => {
    const item = decision('P-3');
    await stack.adapters.notifications.claim(item);
    // Whatever happens next (even a retry that plans other contacts and never meets this claim),
    // the leaders' figures show a message that may or may not have gone.
    expect(await weekDecisions()).toContainEqual(expect.objectContaining({ pupilId: 'P-3', status: 'sending' }));
    expect(await stored(item)).not.toHaveProperty('gsi3pk');

    // The redelivery decides a second later: it meets the claim and sends nothing.
    const retry = await stack.adapters.notifications.claim(decision('P-3', '2026-11-23T09:05:00Z'));
    expect(retry).toMatchObject({ claimed: false, existing: { status: 'sending' } });
    expect(await stored(item)).toMatchObject({ status: 'sending', gsi2sk: item.gsi2sk, gsi3pk: item.gsi3pk, gsi3sk: item.gsi3sk });
    expect(await weekDecisions()).toContainEqual(expect.objectContaining({ pupilId: 'P-3', status: 'sending' }));
  });

  it('a failed send is indexed with its failure, and a retry that takes it over claims it again off the chronology', async () => {
    const item = decision('P-4');
    await stack.adapters.notifications.claim(item);
    await stack.adapters.notifications.markFailed(item, { status: 'retryable', errorName: 'Throttling', failedAt: '2026-11-23T09:00:01Z' });
    expect(await stored(item)).toMatchObject({ status: 'retryable', errorName: 'Throttling', gsi2pk: item.gsi2pk });

    const again = decision('P-4', '2026-11-23T09:10:00Z');
    expect(await stack.adapters.notifications.claim(again)).toEqual({ claimed: true });
    await stack.adapters.notifications.markSent(again, { messageId: 'm-4', sentAt: '2026-11-23T09:10:01Z' });
    expect(await stored(again)).toMatchObject({ status: 'sent', gsi2sk: again.gsi2sk });
    expect(await stored(again)).not.toHaveProperty('errorName');
  });
});
