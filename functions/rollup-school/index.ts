import type { EventBridgeEvent } from 'aws-lambda';
import { rollupRequestedDetail, type RollupRequestedDetail } from '../../events/bus';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { deployedTrustSettings, systemClock } from '../../shared/adapters/aws/environment';
import { deployedPublisher } from '../../shared/adapters/aws/eventbridge-publisher';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { deployedMailer } from '../../shared/adapters/aws/ses-mailer';
import type { RollupFigures } from '../../shared/domain/rollup/types';
import { runSchoolRollup, type SchoolRollupDeps } from '../../shared/services/rollups';
import { lambdaHandler } from '../lambda-handler';

/**
 * One school's weekly rollup, on `rollup.requested` (the schedule's fan-out, or `tracker
 * rollup`): figures stored, leaders emailed once, then `rollup.completed`. Returns the
 * stored figures, which `tracker rollup --json` prints.
 */
export function rollupSchool(ports: SchoolRollupDeps) {
  return async (event: EventBridgeEvent<string, RollupRequestedDetail>): Promise<RollupFigures> => {
    const detail = rollupRequestedDetail.parse(event.detail);
    const { figures } = await runSchoolRollup(ports, detail);
    return figures;
  };
}

export const handler = lambdaHandler(() =>
  rollupSchool({
    schools: new DynamoSchoolDirectory(deployedTable()),
    rollups: new DynamoRollupStore(deployedTable()),
    publisher: deployedPublisher(),
    mailer: deployedMailer(),
    clock: systemClock,
    settings: deployedTrustSettings(),
  }),
);
