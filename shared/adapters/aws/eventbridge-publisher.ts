import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BusEvent, EventPublisher } from '../../ports';
import { requiredEnv } from './environment';

/** PutEvents in chunks of 10 (the API's limit); any failed entry fails the call, to be retried. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: BusEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 10) {
      const chunk = events.slice(start, start + 10);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((event) => ({
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
          })),
        }),
      );
      if (result.FailedEntryCount) {
        const codes = result.Entries?.flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} of ${chunk.length} entries: ${codes?.join(', ')}`);
      }
    }
  }
}

export const deployedPublisher = () => new EventBridgePublisher(new EventBridgeClient({}), requiredEnv('EVENT_BUS_NAME'));
