import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PermanentMailError, type MailMessage, type Mailer } from '../../ports';
import { requiredEnv } from './environment';

/** SES v2, always through the stack's configuration set (delivery events, suppression). */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string,
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: message.to },
          ConfigurationSetName: this.configurationSet,
          EmailTags: [{ Name: 'category', Value: message.category }],
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      // A rejected message (e.g. a suppressed address) will not succeed on retry.
      if (error instanceof MessageRejected) throw new PermanentMailError(error.message);
      throw error;
    }
  }
}

/** The stack's identity and configuration set, from the function's environment. */
export const deployedMailer = () => new SesMailer(new SESv2Client({}), requiredEnv('MAIL_FROM'), requiredEnv('SES_CONFIGURATION_SET'));
