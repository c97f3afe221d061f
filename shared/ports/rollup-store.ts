import type { RollupFigures, RollupState, WeekRecords } from '../domain/rollup/types';
import type { ListedPupil } from '../domain/summary-email/school-summary';

/** Where rollups are read and kept (DynamoDB: shared/adapters/aws/rollup-store.ts). */
export interface RollupStore {
  /** One school-week's records; `full: false` reads only what the carried state needs. */
  readWeek(schoolId: string, week: string, options: { full: boolean }): Promise<WeekRecords>;
  /** The newest stored state with a week in [from, to]. */
  latestState(schoolId: string, from: string, to: string): Promise<RollupState | undefined>;
  /** Stores the figures (keeping any email marker) and the state, together. */
  save(input: { schoolId: string; week: string; figures: RollupFigures; state: RollupState; runAt: string; foldedWeeks: number }): Promise<void>;
  /** Claims the right to send week W's leaders' email: true once (or after a stale claim). */
  claimEmail(schoolId: string, week: string, now: Date): Promise<boolean>;
  markEmailSent(schoolId: string, week: string, result: { messageId: string; sentAt: string; recipients: number }): Promise<void>;
  markEmailFailed(schoolId: string, week: string, failure: { errorName: string; failedAt: string }): Promise<void>;
  releaseEmail(schoolId: string, week: string): Promise<void>;
  pupilNames(schoolId: string, pupilIds: string[]): Promise<Record<string, ListedPupil>>;
  /** Every school's stored figures for a week (trust index). */
  weekRollups(week: string): Promise<{ schoolId: string; figures: RollupFigures }[]>;
  claimTrustSummary(week: string, now: Date): Promise<boolean>;
  markTrustSummarySent(week: string, result: { messageId: string; sentAt: string; schools: number }): Promise<void>;
  /** SES refused it for good: kept claimed, so no later run sends it. */
  markTrustSummaryFailed(week: string, failure: { errorName: string; failedAt: string }): Promise<void>;
  releaseTrustSummary(week: string): Promise<void>;
}
