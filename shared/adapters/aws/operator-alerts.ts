import { logger } from '../../logger';
import type { OperatorAlerts } from '../../ports/mis';

/**
 * The message the deployed stack's metric filter matches (infra/constructs/mis-connector.ts):
 * one error log line → the ops alarm → the alarm topic's email subscription.
 */
export const misAlertLogMessage = 'MIS connector needs an operator';

/** Deployed: the log line alone (the alarm does the telling; the function needs no SNS or SES right). */
export const logAlerts: OperatorAlerts = {
  async alert({ schoolId, subject, detail }) {
    logger.error(misAlertLogMessage, { schoolId, subject, detail });
  },
};
