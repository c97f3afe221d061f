import { BadRequestException, MessageRejected, SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../shared/adapters/aws/ses-mailer';
import { PermanentMailError } from '../../shared/ports';

const ses = mockClient(SESv2Client);
const mailer = new SesMailer(new SESv2Client({ region: 'eu-west-2' }), 'tracker@example.org', 'tracker-prod');
const message = { to: ['parent@example.org'], subject: 's', text: 't', html: '<p>t</p>', category: 'parent-notification' };
beforeEach(() => ses.reset());

describe('SesMailer', () => {
  it('sends through the configuration set with the category tag and returns SES message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-42' });
    expect(await mailer.send(message)).toEqual({ messageId: 'ses-42' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      ConfigurationSetName: 'tracker-prod',
      FromEmailAddress: 'tracker@example.org',
      EmailTags: [{ Name: 'category', Value: 'parent-notification' }],
    });
  });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is on the suppression list', $metadata: {} })],
    ['BadRequestException', new BadRequestException({ message: 'Invalid address', $metadata: {} })],
  ])('%s is permanent: retrying will not help', async (_name, error) => {
    ses.on(SendEmailCommand).rejects(error);
    await expect(mailer.send(message)).rejects.toBeInstanceOf(PermanentMailError);
  });

  it('throttling stays retryable', async () => {
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: {} }));
    await expect(mailer.send(message)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
  });
});
