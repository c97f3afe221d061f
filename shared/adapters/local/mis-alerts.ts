import { escapeHtml } from '../../domain/messages/format';
import type { Mailer } from '../../ports';
import type { OperatorAlerts } from '../../ports/mis';
import { logAlerts } from '../aws/operator-alerts';

/** Local stack: the same log line, and an email in the outbox for the operators. */
export function outboxAlerts(mailer: Mailer, operators: string[]): OperatorAlerts {
  return {
    async alert(alert) {
      await logAlerts.alert(alert);
      const text = `${alert.subject}\n\nSchool: ${alert.schoolId}\n${alert.detail}\n`;
      await mailer.send({ to: operators, subject: `[tracker] ${alert.subject}`, text, html: `<pre>${escapeHtml(text)}</pre>`, category: 'ops-alert' });
    },
  };
}
