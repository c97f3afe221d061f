/**
 * What SES publishes to EventBridge about a sent message (configuration set event
 * destination, on the account's default bus): the source and detail types the
 * mailFeedback rule matches, and the mail categories whose decisions are recorded.
 */
export const sesFeedbackSource = 'aws.ses';
export const sesFeedbackDetailTypes = {
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  DeliveryDelay: 'Email Delivery Delayed',
} as const;
export type SesFeedbackType = keyof typeof sesFeedbackDetailTypes;

/** MailMessage.category of the messages with a notification decision to mark. */
export const recordedMailCategories = ['parent-notification', 'dsl-alert'] as const;
