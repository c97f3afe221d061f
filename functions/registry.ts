import type { Ports } from '../shared/ports';
import { alertDsl } from './alert-dsl';
import { ingestEvents } from './ingest-events';
import { notifyParents } from './notify-parents';
import { publishStoredEvents } from './publish-stored-events';
import { recordMailFeedbackHandler } from './record-mail-feedback';
import { rollupSchool } from './rollup-school';
import { scheduleRollups } from './schedule-rollups';
import { staffApi } from './staff-api';
import { syncMis } from './sync-mis';
import { trustSummary } from './trust-summary';
import { wondeLifecycle } from './wonde-lifecycle';

/**
 * Every function, by the name its folder (and its Lambda) has. The CDK stack bundles
 * `functions/<name>/index.ts`; the local stack calls these same factories.
 */
export const functionFactories = {
  'ingest-events': ingestEvents,
  'publish-stored-events': publishStoredEvents,
  'notify-parents': notifyParents,
  'alert-dsl': alertDsl,
  'schedule-rollups': scheduleRollups,
  'rollup-school': rollupSchool,
  'trust-summary': trustSummary,
  'record-mail-feedback': recordMailFeedbackHandler,
  'staff-api': staffApi,
  'sync-mis': syncMis,
  'wonde-lifecycle': wondeLifecycle,
} satisfies Record<string, (ports: Ports) => (event: never) => Promise<unknown>>;

export type FunctionName = keyof typeof functionFactories;
export const functionNames = Object.keys(functionFactories) as FunctionName[];
