import type { BusinessMetricName, BusinessMetrics } from '../../ports/metrics';

/** The local stack's metrics: a tally in memory (tests read it), nothing written. */
export class TallyMetrics implements BusinessMetrics {
  readonly totals = new Map<BusinessMetricName, number>();
  readonly bySchool = new Map<string, number>();

  count(name: BusinessMetricName, value = 1, schoolId?: string): void {
    this.totals.set(name, (this.totals.get(name) ?? 0) + value);
    if (schoolId) this.bySchool.set(`${schoolId}/${name}`, (this.bySchool.get(`${schoolId}/${name}`) ?? 0) + value);
  }

  flush(): void {}
}
