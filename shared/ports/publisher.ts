export interface BusEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: BusEvent[]): Promise<void>;
}
