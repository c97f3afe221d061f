import type { WritePlan } from '../domain/records';

export type StoreOutcome = 'accepted' | 'duplicate';

export interface EventStore {
  /** Durable before it resolves; `duplicate` when this school has stored this eventId before. */
  store(plan: WritePlan): Promise<StoreOutcome>;
  /** The weeks an incident's stored versions are filed under (issue 11: late corrections). */
  incidentWeeks(schoolId: string, incidentId: string): Promise<string[]>;
  /** Marks school-weeks as changed since their rollup: the next rollup re-folds from the oldest. */
  markWeeksChanged(schoolId: string, weeks: string[], at: Date): Promise<void>;
}
