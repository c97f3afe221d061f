import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { rollupRequestedDetail, type RollupRequestedDetail } from '../../events/bus';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import type { RollupFigures } from '../../shared/domain/rollup/types';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import { rollupDeps, runSchoolRollup } from '../../shared/services/rollups';

/**
 * One school's weekly rollup, on `rollup.requested` (the schedule's fan-out, or `tracker
 * rollup`): figures stored, leaders emailed once, then `rollup.completed`. Returns the
 * stored figures, which `tracker rollup --json` prints.
 */
export function rollupSchool(adapters: Adapters) {
  return async (event: EventBridgeEvent<string, RollupRequestedDetail>): Promise<RollupFigures> => {
    const detail = rollupRequestedDetail.parse(event.detail);
    const { figures } = await runSchoolRollup(rollupDeps(adapters, new DynamoRollupStore(adapters.table)), detail);
    adapters.metrics?.count('RollupsCompleted', 1, detail.schoolId);
    adapters.metrics?.flush();
    return figures;
  };
}

export const handler = middy(rollupSchool(awsAdapters)).use(injectLambdaContext(logger));
