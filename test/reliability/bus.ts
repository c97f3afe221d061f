import { localBusTests } from './local-bus-dead-letters';
import { mailRedeliveryTests } from './mail-redelivery';
import { streamPublisherTests } from './stream-publisher';

/**
 * The path after the table: stream → publisher → bus → target. Contract: nothing stored is
 * missing from the bus; a failing target is retried, then dead-lettered, never dropped; and
 * a parent is never sent the same notification twice, however often an event is delivered.
 */
export interface BusScale {
  name: string;
  /** fast-check runs of the bus delivery property. */
  busRuns: number;
  /** Events written to the table for the stream tests. */
  streamEvents: number;
  timeoutMs: number;
}

export function busTests(scale: BusScale) {
  localBusTests(scale);
  streamPublisherTests(scale);
  mailRedeliveryTests(scale);
}
