import type { EventBridgeEvent } from 'aws-lambda';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { requiredEnv } from '../../shared/adapters/aws/environment';
import { DynamoMailFeedbackStore } from '../../shared/adapters/aws/mail-feedback-store';
import { PowertoolsMetrics } from '../../shared/adapters/aws/powertools-metrics';
import { sesFeedbackDetail } from '../../shared/domain/mail-feedback';
import { logger } from '../../shared/logger';
import type { Ports, TrustSettings } from '../../shared/ports';
import { recordMailFeedback, type MailFeedbackOutcome } from '../../shared/services/mail-feedback';
import type { NotificationDeps } from '../../shared/services/notifications';
import { lambdaHandler } from '../lambda-handler';
import { deployedNotificationDeps } from '../notifier-runtime';

export type RecordMailFeedbackDeps = NotificationDeps & Pick<Ports, 'mailFeedback' | 'metrics'> & { settings: Pick<TrustSettings, 'mailConfigurationSet'> };

/**
 * SES feedback (bounce, complaint, reject, delay) from the default bus (mailFeedback rule):
 * marks the notification decision that sent the message, and sends a DSL alert that
 * bounced to the school's leaders. Throws while the message's decision is not yet marked
 * sent, so EventBridge retries.
 */
export function recordMailFeedbackHandler(ports: RecordMailFeedbackDeps) {
  return async (event: EventBridgeEvent<string, unknown>): Promise<MailFeedbackOutcome> => {
    const detail = sesFeedbackDetail.parse(event.detail);
    const configurationSet = ports.settings.mailConfigurationSet;
    if (!configurationSet) throw new Error('the SES configuration set is not configured (SES_CONFIGURATION_SET)');
    const outcome = await recordMailFeedback(detail, { ...ports, configurationSet });
    // Ids only: SES's reason may quote the recipient's address.
    logger.info('mail feedback', {
      messageId: outcome.messageId,
      eventType: detail.eventType,
      result: outcome.result,
      status: outcome.status,
      category: outcome.category,
      schoolId: outcome.schoolId,
      escalation: outcome.escalation,
    });
    if (outcome.status === 'bounced' || outcome.status === 'rejected') ports.metrics?.count('NotificationsBounced', 1, outcome.schoolId);
    if (outcome.status === 'complained') ports.metrics?.count('NotificationsComplained', 1, outcome.schoolId);
    if (outcome.dslUndelivered) {
      logger.error('a DSL alert was not delivered to the DSL', { messageId: outcome.messageId, schoolId: outcome.schoolId, escalation: outcome.escalation });
      ports.metrics?.count('DslAlertUndelivered', 1);
    }
    ports.metrics?.flush();
    return outcome;
  };
}

export const handler = lambdaHandler(() =>
  recordMailFeedbackHandler({
    ...deployedNotificationDeps(),
    mailFeedback: new DynamoMailFeedbackStore(deployedTable()),
    metrics: new PowertoolsMetrics(),
    settings: { mailConfigurationSet: requiredEnv('SES_CONFIGURATION_SET') },
  }),
);
