export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Why the mail exists (e.g. `parent-notification`), for the SES configuration set's tags. */
  category: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** A mail rejection that retrying will not fix (bad address, suppression list). */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}
