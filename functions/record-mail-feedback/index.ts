import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { DynamoMailFeedbackStore } from '../../shared/adapters/aws/mail-feedback-store';
import { sesFeedbackDetail } from '../../shared/domain/mail-feedback';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import { recordMailFeedback, type MailFeedbackOutcome } from '../../shared/services/mail-feedback';
import { notificationDeps } from '../notify-parents/runtime';

/**
 * SES feedback (bounce, complaint, reject, delay) from the default bus (mailFeedback rule):
 * marks the notification decision that sent the message, and sends a DSL alert that
 * bounced to the school's leaders. Throws while the message's decision is not yet marked
 * sent, so EventBridge retries.
 */
export function recordMailFeedbackHandler(adapters: Adapters) {
  const deps = notificationDeps(adapters);
  return async (event: EventBridgeEvent<string, unknown>): Promise<MailFeedbackOutcome> => {
    const detail = sesFeedbackDetail.parse(event.detail);
    const configurationSet = adapters.settings.mailConfigurationSet;
    if (!configurationSet) throw new Error('the SES configuration set is not configured (SES_CONFIGURATION_SET)');
    const outcome = await recordMailFeedback(detail, { ...deps(), feedback: new DynamoMailFeedbackStore(adapters.table), configurationSet });
    // Ids only: SES's reason may quote the recipient's address.
    logger.info('mail feedback', { messageId: outcome.messageId, eventType: detail.eventType, result: outcome.result, status: outcome.status, category: outcome.category, schoolId: outcome.schoolId, escalation: outcome.escalation });
    if (outcome.status === 'bounced' || outcome.status === 'rejected') adapters.metrics?.count('NotificationsBounced', 1, outcome.schoolId);
    if (outcome.status === 'complained') adapters.metrics?.count('NotificationsComplained', 1, outcome.schoolId);
    if (outcome.dslUndelivered) {
      logger.error('a DSL alert was not delivered to the DSL', { messageId: outcome.messageId, schoolId: outcome.schoolId, escalation: outcome.escalation });
      adapters.metrics?.count('DslAlertUndelivered', 1);
    }
    adapters.metrics?.flush();
    return outcome;
  };
}

export const handler = middy(recordMailFeedbackHandler(awsAdapters)).use(injectLambdaContext(logger));
