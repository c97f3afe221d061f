import { rollupSource, type RollupRequestedDetail } from '../../events/bus';
import { weeklyRollup } from '../../events/schedule';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { systemClock } from '../../shared/adapters/aws/environment';
import { deployedPublisher } from '../../shared/adapters/aws/eventbridge-publisher';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { weekJustEnded } from '../../shared/domain/calendar';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { lambdaHandler } from '../lambda-handler';

export interface ScheduleInput {
  /** The schedule's timezone: only schools in it are rolled up by this run. */
  timezone?: string;
}

/**
 * The schedule's target: fans out one `rollup.requested` per school in the timezone, for
 * the ISO week just ended there. Each school's rollup then runs in parallel.
 */
export function scheduleRollups(ports: Pick<Ports, 'schools' | 'publisher' | 'clock'>) {
  return async (input: ScheduleInput = {}): Promise<{ week: string; schools: string[] }> => {
    const timezone = input.timezone ?? weeklyRollup.defaultTimezone;
    const week = weekJustEnded(ports.clock.now(), timezone);
    const schools = (await ports.schools.list()).filter((school) => school.timezone === timezone);
    await ports.publisher.publish(
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

export const handler = lambdaHandler(() =>
  scheduleRollups({ schools: new DynamoSchoolDirectory(deployedTable()), publisher: deployedPublisher(), clock: systemClock }),
);
