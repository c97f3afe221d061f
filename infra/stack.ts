import { CfnOutput, Tags, type StackProps } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { FunctionName } from '../functions/registry';
import type { TrackerConfig } from './config';
import { FanOut } from './constructs/fan-out';
import { Functions } from './constructs/functions';
import { IngestApi } from './constructs/ingest-api';
import { Mail } from './constructs/mail';
import { Notifications } from './constructs/notifications';
import { Observability } from './constructs/observability';
import { OperatorAccess } from './constructs/operator-access';
import { InvokeUnqualified, Rollups } from './constructs/rollups';
import { MisConnector } from './constructs/mis-connector';
import { StaffAccess } from './constructs/staff-access';
import { StaffAppHosting } from './constructs/staff-app-hosting';
import { delivery } from './delivery';
import { SectionedStack } from './constructs/section';
import { Storage } from './constructs/storage';
import type { TrackerFunction } from './constructs/tracker-function';
import { outputNames } from './outputs';

export { apiAccessLogFormat } from './constructs/ingest-api';

export interface TrackerStackProps extends StackProps {
  config: TrackerConfig;
  /** The project root (functions/, package-lock.json). */
  projectRoot: string;
}

/**
 * One trust's tracker. Each section is a construct in infra/constructs/; sections do not
 * change logical ids (SectionedStack), so resources keep the ids they were deployed with.
 */
export class TrackerStack extends SectionedStack {
  readonly functions: Record<FunctionName, TrackerFunction>;
  readonly deadLetterQueues: Functions['deadLetterQueues'];

  constructor(scope: Construct, id: string, props: TrackerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { stage } = config;
    Tags.of(this).add('application', 'intervention-tracker');
    Tags.of(this).add('stage', stage);

    const storage = new Storage(this, 'Storage', { stage });
    const mail = new Mail(this, 'Mail', { config });
    const fanOut = new FanOut(this, 'FanOut', { stage });
    const functions = new Functions(this, 'Functions', { config, projectRoot: props.projectRoot, storage, bus: fanOut.bus, mail });
    const notifications = new Notifications(this, 'Notifications', { config, functions });
    fanOut.route(storage, functions, notifications);
    const rollups = new Rollups(this, 'Rollups', { config, functions });
    const api = new IngestApi(this, 'IngestApi', { config, handler: functions.byName['ingest-events'].function });
    // Staff sign-in (Cognito) and the staff API's routes behind its JWT authorizer; the app.
    new StaffAccess(this, 'StaffAccess', { stage, httpApi: api.httpApi, handler: functions.byName['staff-api'].function });
    new StaffAppHosting(this, 'StaffApp', { stage, httpApi: api.httpApi });
    const observability = new Observability(this, 'Observability', { config, functions, httpApi: api.httpApi });
    new MisConnector(this, 'MisConnector', {
      stage,
      functions: functions.byName,
      secretsKey: storage.secretsKey,
      httpApi: api.httpApi,
      scheduleGroup: rollups.scheduleGroup,
      scheduleTarget: (fn) =>
        new InvokeUnqualified(fn, {
          input: scheduler.ScheduleTargetInput.fromObject({}),
          retryAttempts: delivery.scheduleRetryAttempts,
          maxEventAge: delivery.scheduleMaxEventAge,
          deadLetterQueue: functions.deadLettersOf('sync-mis'),
        }),
      alarm: (id, metric, description) => observability.alarm(id, metric, description),
    });
    const operator = new OperatorAccess(this, 'OperatorAccess', {
      stage,
      storage,
      rollupFunction: functions.byName['rollup-school'].function,
      publisherFunction: functions.byName['publish-stored-events'].function,
    });
    this.functions = functions.byName;
    this.deadLetterQueues = functions.deadLetterQueues;

    // ---------------------------------------------------------------- outputs (names: infra/outputs.ts)
    const output = (name: string, value: string, description?: string) => new CfnOutput(this, name, { value, description });
    output(outputNames.tableName, storage.table.tableName, 'The DynamoDB table (CLI: tracker --stage)');
    output(outputNames.apiUrl, api.apiUrl, 'Base URL of the webhook API');
    output(outputNames.secretsPrefix, storage.secretsPrefix, 'Secrets Manager name prefix of webhook secrets');
    output(outputNames.secretsKey, storage.secretsKey.keyArn, 'KMS key that encrypts webhook secrets');
    output(outputNames.rollupFunction, functions.byName['rollup-school'].function.functionName, 'Invoked by `tracker rollup`');
    output(outputNames.publisherFunction, functions.byName['publish-stored-events'].function.functionName, 'Invoked by `tracker republish`');
    output(outputNames.eventBus, fanOut.bus.eventBusName);
    output(outputNames.scheduledTimezones, config.schoolTimezones.join(','), 'Timezones with a Monday rollup schedule (`school add` refuses others)');
    output(outputNames.alarmTopic, observability.alarmTopic.topicArn, `Alarms go here (subscribed: ${config.opsEmail})`);
    output(
      outputNames.dashboard,
      `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${observability.dashboard.dashboardName}`,
    );
    output(outputNames.operatorPolicy, operator.policy.managedPolicyArn, 'Attach to whoever runs `tracker --stage` (least privilege for the CLI)');
    output(outputNames.sesIdentity, mail.emailIdentity.emailIdentityName, 'Verify this SES identity before go-live');
    if (!mail.identityIsAddress) {
      mail.emailIdentity.dkimRecords.forEach((record, index) => {
        output(`DkimRecord${index + 1}`, `${record.name} CNAME ${record.value}`, 'Add to DNS to verify the domain');
      });
    }
    if (api.domain) output(outputNames.customDomainTarget, api.domain.regionalDomainName, `Point ${config.domainName} (CNAME or alias) here`);
  }
}
