import type { EventBridgeEvent } from 'aws-lambda';
import { rollupCompletedDetail, type RollupCompletedDetail } from '../../events/bus';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { deployedTrustSettings, systemClock } from '../../shared/adapters/aws/environment';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { deployedMailer } from '../../shared/adapters/aws/ses-mailer';
import { runTrustSummary, type TrustSummaryDeps, type TrustSummaryOutcome } from '../../shared/services/rollups';
import { lambdaHandler } from '../lambda-handler';

/** The trust leaders' summary once every school's rollup of the week is stored: sent once. */
export function trustSummary(ports: TrustSummaryDeps) {
  return async (event: EventBridgeEvent<string, RollupCompletedDetail>): Promise<TrustSummaryOutcome> => {
    const { week } = rollupCompletedDetail.parse(event.detail);
    return runTrustSummary(ports, week);
  };
}

export const handler = lambdaHandler(() =>
  trustSummary({
    schools: new DynamoSchoolDirectory(deployedTable()),
    rollups: new DynamoRollupStore(deployedTable()),
    mailer: deployedMailer(),
    clock: systemClock,
    settings: deployedTrustSettings(),
  }),
);
