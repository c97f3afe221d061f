import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { rollupSource, type RollupRequestedDetail } from '../../events/bus';
import { weeklyRollup } from '../../events/schedule';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { weekJustEnded } from '../../shared/domain/calendar';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';

export interface ScheduleInput {
  /** The schedule's timezone: only schools in it are rolled up by this run. */
  timezone?: string;
}

/**
 * The schedule's target: fans out one `rollup.requested` per school in the timezone, for
 * the ISO week just ended there. Each school's rollup then runs in parallel.
 */
export function scheduleRollups(adapters: Adapters) {
  return async (input: ScheduleInput = {}): Promise<{ week: string; schools: string[] }> => {
    const timezone = input.timezone ?? weeklyRollup.defaultTimezone;
    const week = weekJustEnded(adapters.clock.now(), timezone);
    const schools = (await adapters.schools.list()).filter((school) => school.timezone === timezone);
    await adapters.publisher.publish(
      schools.map((school) => ({
        source: rollupSource,
        detailType: 'rollup.requested',
        detail: { schoolId: school.schoolId, week, sendEmail: true } satisfies RollupRequestedDetail,
      })),
    );
    logger.info('weekly rollups requested', { timezone, week, schools: schools.length });
    return { week, schools: schools.map((school) => school.schoolId) };
  };
}

export const handler = middy(scheduleRollups(awsAdapters)).use(injectLambdaContext(logger));
