import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { TrackerConfig } from '../config';
import { Section } from './section';

/** SES: the sending identity, the configuration set, and the one permission to send. */
export class Mail extends Section {
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity: ses.EmailIdentity;
  /** A domain identity needs DKIM records in DNS; an address identity a confirmation click. */
  readonly identityIsAddress: boolean;
  /** ses:SendEmail as MAIL_FROM, with this identity and configuration set only. */
  readonly sendEmail: iam.PolicyStatement;

  constructor(scope: Construct, id: string, props: { config: TrackerConfig }) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `tracker-${config.stage}`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Messages name pupils: never hand them to a mail server over plain text.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    // Bounces, complaints, rejects and delays to the default bus (where SES v2 publishes),
    // for record-mail-feedback (events/rules.ts mailFeedback).
    this.configurationSet.addEventDestination('Feedback', {
      configurationSetEventDestinationName: 'feedback-to-eventbridge',
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT, ses.EmailSendingEvent.DELIVERY_DELAY],
    });
    this.identityIsAddress = config.sesIdentity.includes('@');
    this.emailIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: this.identityIsAddress ? ses.Identity.email(config.sesIdentity) : ses.Identity.domain(config.sesIdentity),
      configurationSet: this.configurationSet,
    });
    const sesArn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ses', resource, resourceName });
    this.sendEmail = new iam.PolicyStatement({
      sid: 'SendWithTheTrackerIdentityOnly',
      actions: ['ses:SendEmail'],
      resources: [
        this.emailIdentity.emailIdentityArn,
        sesArn('configuration-set', this.configurationSet.configurationSetName),
        // In the SES sandbox, SES also authorizes each (verified) recipient identity.
        ...config.sesSandboxRecipients.map((recipient) => sesArn('identity', recipient)),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': config.mailFrom } },
    });
  }
}
