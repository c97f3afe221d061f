import { logger } from '../../logger';
import type { Mailer } from '../../ports';
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

/** Local stack: the same log line, and an email in the outbox for the operators. */
export function outboxAlerts(mailer: Mailer, operators: string[]): OperatorAlerts {
  return {
    async alert(alert) {
      await logAlerts.alert(alert);
      const text = `${alert.subject}\n\nSchool: ${alert.schoolId}\n${alert.detail}\n`;
      await mailer.send({ to: operators, subject: `[tracker] ${alert.subject}`, text, html: `<pre>${escape(text)}</pre>`, category: 'ops-alert' });
    },
  };
}

const escape = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
