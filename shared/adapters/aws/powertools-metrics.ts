import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BusinessMetricName, BusinessMetrics } from '../../ports/metrics';

/**
 * CloudWatch metrics as Powertools' embedded metric format: log lines CloudWatch turns into
 * metrics, so no PutMetricData call (and no permission) is needed. Namespace from
 * POWERTOOLS_METRICS_NAMESPACE; the `service` dimension is the function's name. Counts per
 * school go in a metric set of their own, with `schoolId` as a further dimension.
 */
export class PowertoolsMetrics implements BusinessMetrics {
  private readonly perSchool = new Map<string, Map<BusinessMetricName, number>>();
  private stored = false;

  constructor(private readonly metrics = new Metrics()) {}

  count(name: BusinessMetricName, value = 1, schoolId?: string): void {
    if (value <= 0) return;
    this.metrics.addMetric(name, MetricUnit.Count, value);
    this.stored = true;
    if (!schoolId) return;
    const counts = this.perSchool.get(schoolId) ?? new Map<BusinessMetricName, number>();
    counts.set(name, (counts.get(name) ?? 0) + value);
    this.perSchool.set(schoolId, counts);
  }

  flush(): void {
    for (const [schoolId, counts] of this.perSchool) {
      for (const [name, value] of counts) {
        // A single-metric instance writes its line at once, with its own dimensions.
        const single = this.metrics.singleMetric();
        single.addDimension('schoolId', schoolId);
        single.addMetric(name, MetricUnit.Count, value);
      }
    }
    this.perSchool.clear();
    if (this.stored) this.metrics.publishStoredMetrics();
    this.stored = false;
  }
}
