import type { EventBridgeEvent } from 'aws-lambda';
import { rollupCompletedDetail, type RollupCompletedDetail } from '../../events/bus';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { deployedTrustSettings, systemClock } from '../../shared/adapters/aws/environment';
import { PowertoolsMetrics } from '../../shared/adapters/aws/powertools-metrics';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { deployedMailer } from '../../shared/adapters/aws/ses-mailer';
import { weekJustEnded } from '../../shared/domain/calendar';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { runTrustSummary, type TrustSummaryDeps, type TrustSummaryOutcome } from '../../shared/services/rollups';
import { lambdaHandler } from '../lambda-handler';

/** The deadline schedule's input (events/schedule.ts trustSummaryDeadline). */
export interface TrustSummaryDeadlineInput {
  deadline: true;
  timezone: string;
}

type TrustSummaryInput = EventBridgeEvent<string, RollupCompletedDetail> | TrustSummaryDeadlineInput;

/**
 * The trust leaders' summary once every school's rollup of the week is stored (on each
 * rollup.completed), or at the Monday-noon deadline without the schools still missing:
 * sent once either way.
 */
export function trustSummary(ports: TrustSummaryDeps & Pick<Ports, 'metrics'>) {
  return async (event: TrustSummaryInput): Promise<TrustSummaryOutcome> => {
    const outcome = await summarise(ports, event);
    if (outcome.status === 'sent') ports.metrics?.count('TrustSummariesSent');
    ports.metrics?.flush();
    return outcome;
  };
}

async function summarise(ports: TrustSummaryDeps, event: TrustSummaryInput): Promise<TrustSummaryOutcome> {
  if ('deadline' in event && event.deadline) {
    const week = weekJustEnded(ports.clock.now(), event.timezone);
    const outcome = await runTrustSummary(ports, week, { atDeadline: true });
    logger.info('trust summary deadline', { timezone: event.timezone, week, status: outcome.status });
    return outcome;
  }
  const { week } = rollupCompletedDetail.parse((event as EventBridgeEvent<string, RollupCompletedDetail>).detail);
  return runTrustSummary(ports, week);
}

export const handler = lambdaHandler(() =>
  trustSummary({
    schools: new DynamoSchoolDirectory(deployedTable()),
    rollups: new DynamoRollupStore(deployedTable()),
    mailer: deployedMailer(),
    clock: systemClock,
    settings: deployedTrustSettings(),
    metrics: new PowertoolsMetrics(),
  }),
);
