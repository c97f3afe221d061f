import type { WritePlan } from '../domain/records';

export type StoreOutcome = 'accepted' | 'duplicate';

export interface EventStore {
  /** Durable before it resolves; `duplicate` when this school has stored this eventId before. */
  store(plan: WritePlan): Promise<StoreOutcome>;
}
