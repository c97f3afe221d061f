import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PowertoolsMetrics } from '../../shared/adapters/aws/powertools-metrics';
import { TallyMetrics } from '../../shared/adapters/local/tally-metrics';
import { countNotifications, countWebhookResults } from '../../shared/services/business-metrics';

afterEach(() => vi.restoreAllMocks());

/** The EMF lines Powertools writes to stdout (CloudWatch turns them into metrics). */
function emfLines(run: () => void): { dims: string[][]; values: Record<string, unknown> }[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  run();
  vi.restoreAllMocks();
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('_aws'))
    .map((line) => {
      const parsed = JSON.parse(line);
      const { _aws, ...values } = parsed;
      return { dims: _aws.CloudWatchMetrics[0].Dimensions, values };
    });
}

describe('business metrics', () => {
  it('Powertools EMF: a total per function, and per school under a schoolId dimension', () => {
    const metrics = new PowertoolsMetrics(new Metrics({ namespace: 'InterventionTracker/test', serviceName: 'ingest-events' }));
    const lines = emfLines(() => {
      countWebhookResults(metrics, 'oak', { accepted: 3, duplicate: 1, rejected: 0 });
      metrics.flush();
    });
    const total = lines.find((line) => line.dims[0]!.length === 1)!;
    expect(total.dims).toEqual([['service']]);
    expect(total.values).toMatchObject({ service: 'ingest-events', EventsAccepted: 3, EventsDuplicate: 1 });
    expect(total.values).not.toHaveProperty('EventsRejected');
    const perSchool = lines.filter((line) => line.dims[0]!.includes('schoolId'));
    expect(perSchool.map((line) => line.values)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ schoolId: 'oak', EventsAccepted: 3 }),
        expect.objectContaining({ schoolId: 'oak', EventsDuplicate: 1 }),
      ]),
    );
  });

  it('nothing counted, nothing written (no empty-metrics warning)', () => {
    const metrics = new PowertoolsMetrics(new Metrics({ namespace: 'InterventionTracker/test', serviceName: 'alert-dsl' }));
    expect(emfLines(() => metrics.flush())).toEqual([]);
  });

  it('a DSL alert SES refused counts as not delivered; a parent notice does not', () => {
    const tally = new TallyMetrics();
    const summary = (rejected: number) => ({
      schoolId: 'oak',
      eventId: 'e',
      decisions: 1,
      outcomes: { sent: 1 - rejected, suppressed: 0, duplicate: 0, retryable: 0, rejected },
      reasons: {},
    });
    countNotifications(tally, summary(1), 'parent-notification');
    expect(tally.totals.get('DslAlertUndelivered') ?? 0).toBe(0);
    countNotifications(tally, summary(1), 'dsl-alert');
    expect(tally.totals.get('DslAlertUndelivered')).toBe(1);
    expect(tally.totals.get('NotificationsRejected')).toBe(2);
    expect(tally.bySchool.get('oak/NotificationsRejected')).toBe(2);
  });
});
