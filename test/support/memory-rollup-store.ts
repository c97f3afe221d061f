import type { ChangedWeek } from '../../shared/domain/changed-weeks';
import type { RollupFigures, RollupState, WeekRecords } from '../../shared/domain/rollup/types';
import type { RollupStore } from '../../shared/ports';

/**
 * The rollup store in memory, with the DynamoDB adapter's semantics (reads by week, state
 * by newest-in-range, markers cleared only if unchanged): for the rollup use-case tests.
 */
export class MemoryStore implements RollupStore {
  /** Changed-week markers: `school#week` → count. */
  changed = new Map<string, number>();
  records = new Map<string, WeekRecords>();
  states = new Map<string, RollupState>();
  figures = new Map<string, RollupFigures>();
  emails = new Map<string, { claimed: boolean; sent: boolean }>();
  trust = new Map<string, { sent: boolean }>();
  reads: { week: string; full: boolean }[] = [];

  async readWeek(schoolId: string, week: string, options: { full: boolean }) {
    this.reads.push({ week, full: options.full });
    const records = this.records.get(`${schoolId}#${week}`) ?? { marks: [], interventions: [], restorative: [], incidents: [], notifications: [] };
    return options.full ? records : { ...records, incidents: [], notifications: [] };
  }
  async latestState(schoolId: string, from: string, to: string) {
    const weeks = [...this.states.keys()]
      .filter((key) => key.startsWith(`${schoolId}#`))
      .map((key) => key.slice(schoolId.length + 1))
      .filter((week) => week >= from && week <= to)
      .sort();
    const week = weeks.at(-1);
    return week ? structuredClone(this.states.get(`${schoolId}#${week}`)) : undefined;
  }
  async save(input: { schoolId: string; week: string; figures: RollupFigures; state: RollupState }) {
    this.states.set(`${input.schoolId}#${input.week}`, structuredClone(input.state));
    this.figures.set(`${input.schoolId}#${input.week}`, structuredClone(input.figures));
  }
  async changedWeeks(schoolId: string, upTo: string) {
    return [...this.changed.entries()]
      .filter(([key]) => key.startsWith(`${schoolId}#`) && key.slice(schoolId.length + 1) <= upTo)
      .map(([key, changes]) => ({ week: key.slice(schoolId.length + 1), changes }));
  }
  async clearChangedWeeks(schoolId: string, folded: ChangedWeek[]) {
    for (const marker of folded) if (this.changed.get(`${schoolId}#${marker.week}`) === marker.changes) this.changed.delete(`${schoolId}#${marker.week}`);
  }
  markChanged(schoolId: string, week: string) {
    this.changed.set(`${schoolId}#${week}`, (this.changed.get(`${schoolId}#${week}`) ?? 0) + 1);
  }
  async storedFigures(schoolId: string, from: string, to: string) {
    return Object.fromEntries(
      [...this.figures.entries()]
        .filter(([key]) => key.startsWith(`${schoolId}#`))
        .map(([key, figures]) => [key.slice(schoolId.length + 1), structuredClone(figures)] as const)
        .filter(([week]) => week >= from && week <= to),
    );
  }
  async claimEmail(schoolId: string, week: string) {
    const email = this.emails.get(`${schoolId}#${week}`);
    if (email?.claimed || email?.sent) return false;
    this.emails.set(`${schoolId}#${week}`, { claimed: true, sent: false });
    return true;
  }
  async markEmailSent(schoolId: string, week: string) {
    this.emails.set(`${schoolId}#${week}`, { claimed: true, sent: true });
  }
  async markEmailFailed() {}
  async releaseEmail(schoolId: string, week: string) {
    this.emails.delete(`${schoolId}#${week}`);
  }
  async pupilNames() {
    return { P1: { firstName: 'Amelia', lastName: 'Smith', yearGroup: '8' } };
  }
  async weekRollups(week: string) {
    return [...this.figures.entries()].filter(([key]) => key.endsWith(`#${week}`)).map(([, figures]) => ({ schoolId: figures.schoolId, figures }));
  }
  async claimTrustSummary(week: string) {
    if (this.trust.has(week)) return false;
    this.trust.set(week, { sent: false });
    return true;
  }
  async markTrustSummarySent(week: string) {
    this.trust.set(week, { sent: true });
  }
  async markTrustSummaryFailed(week: string) {
    this.trust.set(week, { sent: false });
  }
  async releaseTrustSummary(week: string) {
    this.trust.delete(week);
  }
}
