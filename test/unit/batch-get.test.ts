import { DynamoDBDocumentClient, BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { batchGetAll } from '../../shared/adapters/aws/dynamodb';

/** BatchGetItem's unprocessed keys (throttling) are asked for again after a growing pause. */
describe('batchGetAll', () => {
  it('retries unprocessed keys after a growing pause, and returns every item once', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
    const mock = mockClient(client);
    const keys = Array.from({ length: 150 }, (_, n) => ({ pk: `P${n}`, sk: 'PROFILE' }));
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: keys.slice(0, 60) }, UnprocessedKeys: { t: { Keys: keys.slice(60, 100) } } })
      .resolvesOnce({ Responses: { t: keys.slice(60, 90) }, UnprocessedKeys: { t: { Keys: keys.slice(90, 100) } } })
      .resolvesOnce({ Responses: { t: keys.slice(90, 100) } })
      .resolvesOnce({ Responses: { t: keys.slice(100) } });
    const pauses: number[] = [];
    const items = await batchGetAll({ client, tableName: 't' }, keys, undefined, (attempt) => {
      pauses.push(attempt);
      return 0;
    });
    expect(items).toEqual(keys);
    expect(pauses).toEqual([1, 2]);
    expect(mock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems!.t!.Keys!.length)).toEqual([100, 40, 10, 50]);
  });
});
