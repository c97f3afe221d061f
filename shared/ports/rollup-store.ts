import type { ChangedWeek } from '../domain/changed-weeks';
import type { RollupFigures, RollupState, WeekRecords } from '../domain/rollup/types';
import type { ListedPupil } from '../domain/summary-email/school-summary';

export interface RollupSave {
  schoolId: string;
  week: string;
  figures: RollupFigures;
  state: RollupState;
  runAt: string;
  foldedWeeks: number;
  /** Earlier weeks whose stored figures this run revised. */
  revisedWeeks?: string[];
}

/** Where rollups are read and kept (DynamoDB: shared/adapters/aws/rollup-store.ts). */
export interface RollupStore {
  /** One school-week's records; `full: false` reads only what the carried state needs. */
  readWeek(schoolId: string, week: string, options: { full: boolean }): Promise<WeekRecords>;
  /** The newest stored state with a week in [from, to]. */
  latestState(schoolId: string, from: string, to: string): Promise<RollupState | undefined>;
  /** Stores the figures (keeping any email marker) and the state, together. */
  save(input: RollupSave): Promise<void>;
  /** Weeks marked changed (a record landed after they ended), up to and including `upTo`. */
  changedWeeks(schoolId: string, upTo: string): Promise<ChangedWeek[]>;
  /** Clears the markers a rollup folded, keeping any marked again since they were read. */
  clearChangedWeeks(schoolId: string, folded: ChangedWeek[]): Promise<void>;
  /** The stored figures of the weeks in [from, to] that have a rollup. */
  storedFigures(schoolId: string, from: string, to: string): Promise<Record<string, RollupFigures>>;
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
