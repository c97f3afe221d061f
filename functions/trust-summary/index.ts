import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { rollupCompletedDetail, type RollupCompletedDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import { weekJustEnded } from '../../shared/domain/calendar';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import { rollupDeps, runTrustSummary, type TrustSummaryOutcome } from '../../shared/services/rollups';

/** The deadline schedule's input (events/schedule.ts trustSummaryDeadline). */
export interface TrustSummaryDeadlineInput {
  deadline: true;
  timezone: string;
}

/**
 * The trust leaders' summary once every school's rollup of the week is stored (on each
 * rollup.completed), or at the Monday-noon deadline without the schools still missing:
 * sent once either way.
 */
export function trustSummary(adapters: Adapters) {
  const run = summarise(adapters);
  return async (event: EventBridgeEvent<string, RollupCompletedDetail> | TrustSummaryDeadlineInput): Promise<TrustSummaryOutcome> => {
    const outcome = await run(event);
    if (outcome.status === 'sent') adapters.metrics?.count('TrustSummariesSent');
    adapters.metrics?.flush();
    return outcome;
  };
}

function summarise(adapters: Adapters) {
  return async (event: EventBridgeEvent<string, RollupCompletedDetail> | TrustSummaryDeadlineInput): Promise<TrustSummaryOutcome> => {
    const deps = rollupDeps(adapters, new DynamoRollupStore(adapters.table));
    if ('deadline' in event && event.deadline) {
      const week = weekJustEnded(adapters.clock.now(), event.timezone);
      const outcome = await runTrustSummary(deps, week, { atDeadline: true });
      logger.info('trust summary deadline', { timezone: event.timezone, week, status: outcome.status });
      return outcome;
    }
    const { week } = rollupCompletedDetail.parse((event as EventBridgeEvent<string, RollupCompletedDetail>).detail);
    return runTrustSummary(deps, week);
  };
}

export const handler = middy(trustSummary(awsAdapters)).use(injectLambdaContext(logger));
