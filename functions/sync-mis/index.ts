import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { systemClock } from '../../shared/adapters/aws/environment';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { deployedMisAdapters } from '../../shared/adapters/aws/mis-environment';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { syncSchool, type SyncResult } from '../../shared/services/mis-sync';
import { lambdaHandler } from '../lambda-handler';

/** `{}` from the 15-minute schedule (every connected school), or `{schoolId}` from `tracker sync`. */
export interface SyncMisInput {
  schoolId?: string;
  /** Ignore the cursors and read everything again. */
  full?: boolean;
}

/** Time kept back from the Lambda timeout to store the page in hand and save the checkpoint. */
const safetyMarginMs = 90_000;

/**
 * The MIS connector's function: syncs one school, or each connected school in turn (one
 * invocation, no fan-out: a trust's few dozen incremental syncs take seconds, and a long
 * first sync stops at the time budget and resumes 15 minutes later from its checkpoint).
 */
export function syncMis(ports: Pick<Ports, 'events' | 'schools' | 'clock' | 'mis'>) {
  return async (input: SyncMisInput = {}, context?: { getRemainingTimeInMillis?: () => number }): Promise<SyncResult | { schools: SyncResult[] }> => {
    const { mis } = ports;
    const remaining = context?.getRemainingTimeInMillis?.();
    const deadline = remaining === undefined ? undefined : Date.now() + remaining - safetyMarginMs;
    const deps = ports;
    if (input.schoolId) {
      const result = await syncSchool(input.schoolId, deps, { deadline, full: input.full });
      log(result);
      return result;
    }
    const connected = (await mis.connections.list()).filter((connection) => connection.state === 'connected');
    const results: SyncResult[] = [];
    let failed = 0;
    for (const { schoolId } of connected) {
      try {
        const result = await syncSchool(schoolId, deps, { deadline });
        log(result);
        results.push(result);
      } catch (error) {
        // One school's storage failure must not starve the others; the run still fails below.
        failed++;
        logger.error('MIS sync failed', { schoolId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      }
    }
    if (failed > 0) throw new Error(`MIS sync failed for ${failed} of ${connected.length} schools (see the log)`);
    return { schools: results };
  };
}

function log(result: SyncResult) {
  const { schoolId, status, events, duplicates, cursor, pages, problems, reason } = result;
  logger.info('MIS sync finished', { schoolId, status, events, duplicates, cursor, pages, problems: problems.length, reason });
}

export const handler = lambdaHandler(() =>
  syncMis({
    events: new DynamoEventStore(deployedTable()),
    schools: new DynamoSchoolDirectory(deployedTable()),
    clock: systemClock,
    mis: deployedMisAdapters(),
  }),
);
