import type { BusEvent } from '../../events/bus';

export interface EventPublisher {
  publish(events: BusEvent[]): Promise<void>;
}
