import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames, type FunctionName } from '../../functions/registry';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { addDays, dateInZone, weekJustEnded, weekStart } from '../../shared/domain/calendar';
import { sesFeedbackRecord } from '../../shared/domain/mail-feedback';
import { matchesEventPattern } from '../../shared/adapters/local/event-pattern';
import { attendanceMark, incident, interventionStarted, outcomeMeasure, pupil, restorativeSession, restrictiveIntervention } from '../support/events';
import { DynamoMisConnectionStore } from '../../shared/adapters/aws/mis-connections';
import { misSyncSchedule } from '../../infra/constructs/mis-connector';
import { startFakeWonde, wondeContact, wondeStudent, type FakeWonde } from '../support/fake-wonde';
import { staffRequest as staffRequestOf, type StaffRequestOptions, webhookRequest, wondeLifecycleRequest } from './api-gateway';
import { DeployedStack } from './harness';
import { allowed, grants, grantUsed } from './policy';

/**
 * The deployed-wiring tier (issue 10): every function of the synthesised template, bundled
 * as CDK bundles it, runs in its own process with exactly the template's environment and
 * is driven with what AWS would hand it. Every AWS call it makes must be allowed by its
 * own IAM policy in the template, and every permission granted must be used by some call.
 * No AWS account is needed: DynamoDB is DynamoDB Local, the rest a recording stand-in.
 */

const timezone = 'Europe/London';
const school = 'oak';
const webhookSecret = 'wiring-webhook-secret';
// Distinctive values, so a leak into any function's log is found by a plain search.
const secretWords = ['Zebedee', 'Quillfeather', 'Marigold', 'Featherstonehaugh', 'guardian.quillfeather@example.org', 'NOTE-NEVER-LOGGED'];

/**
 * Permissions a function holds that its code never calls, because AWS uses them on its
 * behalf: each with the reason. Anything else granted must be exercised below.
 */
const usedByAwsOnTheFunctionsBehalf: { action: RegExp; reason: string }[] = [
  { action: /^logs:(CreateLogStream|PutLogEvents)$/, reason: 'the Lambda runtime writes the function log' },
  { action: /^xray:(PutTraceSegments|PutTelemetryRecords)$/, reason: 'active tracing: the runtime sends segments' },
  { action: /^kms:/, reason: 'DynamoDB and Secrets Manager call KMS as the caller (kms:ViaService condition)' },
  { action: /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/, reason: 'the event source mapping reads the stream with the function role' },
  { action: /^sqs:SendMessage$/, reason: 'Lambda sends failed invocations and stream batches to the dead-letter queue' },
  {
    action: /^sqs:(ReceiveMessage|DeleteMessage|ChangeMessageVisibility|GetQueueAttributes|GetQueueUrl)$/,
    reason: "the SQS event source mapping polls the function's pacing queue with the function role",
  },
];

let stack: DeployedStack;
/** The Wonde sync-mis reads (`-c wondeBaseUrl=`, so the template's WONDE_BASE_URL points here). */
let wonde: FakeWonde;
const today = dateInZone(new Date(), timezone);
const lastWeek = weekJustEnded(new Date(), timezone);

const signedWebhook = (events: unknown[], secret = webhookSecret) => webhookRequest(school, secret, events);
const staffRequest = (routeKey: string, pathParameters: Record<string, string>, options?: StaffRequestOptions) =>
  staffRequestOf(school, routeKey, pathParameters, options);

const guardian = {
  contactId: 'C1',
  name: 'Marigold Quillfeather',
  relationship: 'mother',
  parentalResponsibility: true,
  email: 'guardian.quillfeather@example.org',
  notify: true,
};
const occurredAt = new Date().toISOString();
const lastMonday = weekStart(lastWeek);

/** A realistic first batch from an MIS: roster, marks (today's absence, last week's), and the pastoral work. */
const firstBatch = [
  pupil({ pupilId: 'P001', occurredAt, data: { firstName: 'Zebedee', lastName: 'Quillfeather', contacts: [guardian] } }),
  pupil({ pupilId: 'P002', occurredAt, data: { firstName: 'Featherstonehaugh', lastName: 'Quillfeather', contacts: [guardian] } }),
  attendanceMark({ pupilId: 'P001', date: today, code: 'N', occurredAt }),
  ...[0, 1, 2, 3, 4].map((day) => attendanceMark({ pupilId: 'P001', date: addDays(lastMonday, day), code: 'O', occurredAt })),
  incident({ pupilId: 'P001', occurredAt, data: { detention: { date: today, minutes: 30 }, notes: 'NOTE-NEVER-LOGGED' } }),
  incident({ pupilId: 'P002', occurredAt, data: { safeguardingConcern: true, notes: 'NOTE-NEVER-LOGGED' } }),
  interventionStarted({ pupilId: 'P001', data: { startDate: today } }),
  {
    eventId: 'wiring-int-end',
    type: 'intervention.ended',
    occurredAt,
    pupilId: 'P001',
    data: { interventionId: 'INT1', endDate: today, outcome: 'achieved', notes: 'NOTE-NEVER-LOGGED' },
  },
  restorativeSession({ data: { date: today, summaryForParents: 'They talked it through and agreed a plan.', notes: 'NOTE-NEVER-LOGGED' } }),
  restrictiveIntervention({ pupilId: 'P001', occurredAt, data: { startedAt: occurredAt, notes: 'NOTE-NEVER-LOGGED' } }),
  restrictiveIntervention({
    pupilId: 'P002',
    occurredAt,
    data: { startedAt: occurredAt, parentReport: { withhold: true, reason: 'NOTE-NEVER-LOGGED risk at home' } },
  }),
  outcomeMeasure({ pupilId: 'P001', data: { date: today } }),
];

beforeAll(async () => {
  wonde = await startFakeWonde({ schoolId: 'A1930499544' });
  stack = await DeployedStack.start({ wondeBaseUrl: wonde.baseUrl });
  const schools = new DynamoSchoolDirectory(stack.table);
  await schools.create({
    schoolId: school,
    name: 'Oak Primary',
    leaders: ['head@oak.example.org'],
    timezone,
    dslEmail: 'dsl@oak.example.org',
    createdAt: occurredAt,
  });
  const prefix = stack.template.functions['ingest-events'].environment.SECRETS_PREFIX;
  stack.aws.secrets.set(`${prefix}/${school}/webhook`, JSON.stringify({ current: webhookSecret }));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await wonde?.stop();
});

const sentMail = () =>
  stack.aws.calls
    .filter((call) => call.service === 'ses' && call.status === 200)
    .map((call) => ({ caller: call.caller, to: call.body.Destination.ToAddresses as string[], subject: call.body.Content.Simple.Subject.Data as string }));

describe('the deployed wiring: each function as AWS runs it', () => {
  it('ingest-events stores a signed batch once, answers a replay as duplicate and a bad signature 401', async () => {
    const ingest = stack.lambdas['ingest-events'];
    const first = await ingest.call(signedWebhook(firstBatch));
    expect(first.statusCode, first.body).toBe(200);
    expect(JSON.parse(first.body).results.map((result: { status: string }) => result.status)).toEqual(firstBatch.map(() => 'accepted'));
    const replay = await ingest.call(signedWebhook(firstBatch));
    expect(JSON.parse(replay.body).results.every((result: { status: string }) => result.status === 'duplicate')).toBe(true);
    expect((await ingest.call(signedWebhook(firstBatch, 'not-the-secret'))).statusCode).toBe(401);

    const records = await readPupilRecords(stack.table, school, 'P001', today);
    expect(records.profile?.firstName).toBe('Zebedee');
    expect(records.attendance).toHaveLength(6);
    expect(records.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['incident.recorded', 'intervention.started', 'restorative.session.recorded']),
    );
  });

  it('publish-stored-events puts one thin bus entry per stored event, from the real stream records', async () => {
    const streamEvent = await stack.streamEvent();
    expect(streamEvent.Records.length).toBeGreaterThanOrEqual(firstBatch.length);
    const result = await stack.lambdas['publish-stored-events'].call(streamEvent);
    expect(result.batchItemFailures).toEqual([]);
    const busEvents = stack.pendingBusEvents();
    expect(busEvents.map((event) => event['detail-type']).sort()).toEqual(firstBatch.map((event) => event.type).sort());
  });

  it('notify-parents and alert-dsl get the routed events: parents their notices, the DSL the concern', async () => {
    const outcomes = await stack.routeBus();
    expect(outcomes.filter((outcome) => outcome.error)).toEqual([]);
    expect(new Set(outcomes.map((outcome) => outcome.target))).toEqual(new Set(['notify-parents', 'alert-dsl']));
    const mail = sentMail();
    expect(mail.filter((sent) => sent.caller === 'alert-dsl').map((sent) => sent.to)).toEqual([['dsl@oak.example.org']]);
    // The withheld restraint report goes to the DSL, from notify-parents (its rule's target).
    const toParents = mail.filter((sent) => sent.caller === 'notify-parents' && !sent.to.includes('dsl@oak.example.org'));
    expect(mail.filter((sent) => sent.caller === 'notify-parents' && sent.to.includes('dsl@oak.example.org'))).toHaveLength(1);
    expect(toParents.length).toBeGreaterThanOrEqual(6); // absence, detention, intervention start and end, restorative, restraint report
    expect(toParents.every((sent) => sent.to.join() === guardian.email)).toBe(true);
    const records = await readPupilRecords(stack.table, school, 'P001', today);
    expect(records.notifications.some((decision) => decision.status === 'sent')).toBe(true);
  });

  it('record-mail-feedback: SES reports the DSL alert bounced; the decision says so and the leaders get it at once', async () => {
    const dslDecision = (await readPupilRecords(stack.table, school, 'P002', today)).notifications.find(
      (d) => (d.recipient as { contactId: string }).contactId === 'dsl',
    )!;
    const configurationSet = stack.template.functions['record-mail-feedback'].environment.SES_CONFIGURATION_SET!;
    const record = sesFeedbackRecord(
      'Bounce',
      { messageId: String(dslDecision.messageId), to: ['dsl@oak.example.org'], category: 'dsl-alert', configurationSet, timestamp: new Date().toISOString() },
      {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'dsl@oak.example.org', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        },
      },
    );
    // As SES publishes it to the default bus, which the template's mailFeedback rule matches.
    const event = {
      version: '0',
      id: 'ses-feedback-1',
      'detail-type': record.detailType,
      source: 'aws.ses',
      account: '111122223333',
      time: new Date().toISOString(),
      region: 'eu-west-2',
      resources: [],
      detail: record.detail,
    };
    const rule = stack.rules().find((candidate) => candidate.target === 'record-mail-feedback')!;
    expect(rule.busName).toBe('default');
    expect(matchesEventPattern(rule.pattern, event)).toBe(true);

    const outcome = await stack.lambdas['record-mail-feedback'].call(event);
    expect(outcome).toMatchObject({ result: 'recorded', status: 'bounced', dslUndelivered: true, escalation: 'sent' });
    const after = (await readPupilRecords(stack.table, school, 'P002', today)).notifications;
    expect(after.find((d) => (d.recipient as { contactId: string }).contactId === 'dsl')).toMatchObject({
      status: 'bounced',
      feedbackReason: expect.stringContaining('550 5.1.1'),
    });
    const warning = sentMail().filter((sent) => sent.caller === 'record-mail-feedback');
    expect(warning.map((sent) => sent.to)).toEqual([['head@oak.example.org']]);
    expect(warning[0]!.subject).toMatch(/^Not delivered to the DSL: /);
  });

  it('the schedules, invoked with their input from the template: one rollup requested per school', async () => {
    const byLogicalId = new Map(Object.values(stack.template.functions).map((fn) => [fn.logicalId, fn.name]));
    const schedules = (Object.values(stack.template.resources) as any[]).filter((resource) => resource.Type === 'AWS::Scheduler::Schedule');
    const rollupSchedules = schedules.filter((schedule) => byLogicalId.get(schedule.Properties.Target.Arn['Fn::GetAtt'][0]) === 'schedule-rollups');
    expect(rollupSchedules.length).toBeGreaterThan(0);
    for (const schedule of rollupSchedules) {
      const input = JSON.parse(stack.template.resolve(schedule.Properties.Target.Input));
      await stack.lambdas['schedule-rollups'].call(input);
    }
    const requested = stack.pendingBusEvents().filter((event) => event['detail-type'] === 'rollup.requested');
    expect(requested.map((event) => event.detail)).toEqual([{ schoolId: school, week: lastWeek, sendEmail: true }]);
  });

  it('rollup-school stores the figures, emails the leaders and announces rollup.completed', async () => {
    const outcomes = await stack.routeBus();
    expect(outcomes.map((outcome) => [outcome.target, outcome.error?.message])).toEqual([['rollup-school', undefined]]);
    expect(outcomes[0]!.result.attendance.persistentAbsentees).toEqual(['P001']);
    expect(
      sentMail()
        .filter((sent) => sent.caller === 'rollup-school')
        .map((sent) => sent.to),
    ).toEqual([['head@oak.example.org']]);
  });

  it('trust-summary sends the trust leaders one summary, and a failed send is retried without a double send', async () => {
    stack.aws.failNext('ses:SendEmail', { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' }, 3);
    const outcomes = await stack.routeBus();
    expect(outcomes.map((outcome) => outcome.target)).toEqual(['trust-summary']);
    expect(outcomes[0]!.error?.name).toBeDefined();
    // EventBridge's asynchronous retry: the same event again.
    const retried = await stack.lambdas['trust-summary'].invoke(outcomes[0]!.event);
    expect(retried.error).toBeUndefined();
    expect(
      sentMail()
        .filter((sent) => sent.caller === 'trust-summary')
        .map((sent) => sent.to),
    ).toEqual([stack.template.functions['trust-summary'].environment.TRUST_LEADERS!.split(',')]);
  });

  it('trust-summary at its deadline schedule (input from the template) sends no second summary', async () => {
    const byLogicalId = new Map(Object.values(stack.template.functions).map((fn) => [fn.logicalId, fn.name]));
    const deadlines = (Object.values(stack.template.resources) as any[]).filter(
      (resource) => resource.Type === 'AWS::Scheduler::Schedule' && byLogicalId.get(resource.Properties.Target.Arn['Fn::GetAtt'][0]) === 'trust-summary',
    );
    expect(deadlines.length).toBeGreaterThan(0);
    for (const schedule of deadlines) {
      const outcome = await stack.lambdas['trust-summary'].call(JSON.parse(stack.template.resolve(schedule.Properties.Target.Input)));
      // Monday before noon the week's deadline is still to come; after it, the summary is out already.
      expect(['already-sent', 'waiting']).toContain(outcome.status);
    }
    expect(sentMail().filter((sent) => sent.caller === 'trust-summary')).toHaveLength(1);
  });
});

describe('the staff API as AWS runs it (behind the JWT authorizer)', () => {
  it('staff-api searches, reads a restricted chronology, figures and caseload, and stores records with recordedBy', async () => {
    const staffApi = stack.lambdas['staff-api'];
    const search = await staffApi.call(staffRequest('GET /v1/schools/{schoolId}/pupils', { schoolId: school }, { query: { q: 'quill' } }));
    expect(
      JSON.parse(search.body)
        .pupils.map((p: { pupilId: string }) => p.pupilId)
        .sort(),
    ).toEqual(['P001', 'P002']);
    // P002: the safeguarding incident is restricted for a leader; the restorative session comes through its participant link.
    const chronology = JSON.parse(
      (await staffApi.call(staffRequest('GET /v1/schools/{schoolId}/pupils/{pupilId}/chronology', { schoolId: school, pupilId: 'P002' }, { role: 'leader' })))
        .body,
    );
    expect(chronology.entries.map((entry: { kind: string }) => entry.kind)).toEqual(expect.arrayContaining(['restricted', 'restorative.session.recorded']));
    expect(JSON.stringify(chronology)).not.toContain('safeguardingConcern');
    const figures = await staffApi.call(staffRequest('GET /v1/schools/{schoolId}/weeks/{week}/figures', { schoolId: school, week: lastWeek }, { role: 'dsl' }));
    expect(figures.statusCode).toBe(200);
    const posted = await staffApi.call(
      staffRequest(
        'POST /v1/schools/{schoolId}/records',
        { schoolId: school },
        {
          body: {
            events: [
              // Dated last week: the core marks that week changed, as for the webhook.
              incident({ pupilId: 'P001', occurredAt: `${lastMonday}T10:00:00Z`, data: { notes: 'NOTE-NEVER-LOGGED' } }),
              interventionStarted({ pupilId: 'P002', data: { interventionId: 'STAFF-INT', startDate: today } }),
              restorativeSession({ data: { date: today } }),
            ],
          },
        },
      ),
    );
    expect(JSON.parse(posted.body).results.map((result: { status: string }) => result.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const caseload = JSON.parse((await staffApi.call(staffRequest('GET /v1/schools/{schoolId}/caseload', { schoolId: school }))).body);
    expect(caseload.interventions.map((item: { interventionId: string }) => item.interventionId)).toEqual(['STAFF-INT']);
    expect((await staffApi.call(staffRequest('GET /v1/schools/{schoolId}/pupils', { schoolId: 'elm' }))).statusCode).toBe(403);
  });
});

describe('the deployed wiring of the MIS connector (Wonde)', () => {
  it('sync-mis, invoked with its schedule input, reads the connected school from Wonde and stores it through the webhook core', async () => {
    const { MIS_SECRETS_PREFIX: prefix } = stack.template.functions['sync-mis'].environment;
    stack.aws.secrets.set(`${prefix}/${school}/wonde`, wonde.token);
    await new DynamoMisConnectionStore(stack.table).put({
      schoolId: school,
      provider: 'wonde',
      misSchoolId: wonde.schoolId,
      state: 'connected',
      stateChangedAt: occurredAt,
      cursors: {},
    });
    wonde.setCodes([{ id: 'AC1', code: '/' }]);
    wonde.upsertStudent(
      wondeStudent('W001', { forename: 'Zebedee', surname: 'Quillfeather', contacts: [wondeContact('WC1', { email: 'guardian.quillfeather@example.org' })] }),
    );
    wonde.mark({ id: 'WM1', student: 'W001', date: today, session: 'AM', attendance_code: 'AC1' });

    const schedule = Object.values(stack.template.resources).find(
      (resource: any) => resource.Type === 'AWS::Scheduler::Schedule' && resource.Properties.ScheduleExpression === misSyncSchedule,
    ) as any;
    const result = await stack.lambdas['sync-mis'].call(JSON.parse(stack.template.resolve(schedule.Properties.Target.Input)));
    expect(result.schools).toEqual([
      expect.objectContaining({ schoolId: school, status: 'complete', events: { 'pupil.upserted': 1, 'attendance.marked': 1 } }),
    ]);
    const records = await readPupilRecords(stack.table, school, 'W001', today);
    expect(records.profile?.firstName).toBe('Zebedee');
    expect(records.attendance.map((mark) => mark.code)).toEqual(['/']);
    expect(wonde.requests.every((request) => request.status === 200)).toBe(true);
  });

  it('wonde-lifecycle: a wrong key is 401, accessRevoked revokes the connection', async () => {
    const { MIS_SECRETS_PREFIX: prefix } = stack.template.functions['wonde-lifecycle'].environment;
    const key = 'wiring-wonde-webhook-key-0123456789';
    stack.aws.secrets.set(`${prefix}/wonde-webhook-key`, key);
    const revoke = { payload_type: 'accessRevoked', school_id: wonde.schoolId };
    expect((await stack.lambdas['wonde-lifecycle'].call(wondeLifecycleRequest('wrong-key', revoke))).statusCode).toBe(401);
    const answer = await stack.lambdas['wonde-lifecycle'].call(wondeLifecycleRequest(key, revoke));
    expect([answer.statusCode, JSON.parse(answer.body)]).toEqual([200, { status: 'revoked', schoolId: school }]);
    expect((await new DynamoMisConnectionStore(stack.table).get(school))?.state).toBe('revoked');
    expect(stack.lambdas['wonde-lifecycle'].log).not.toContain(key);
  });
});

describe('every AWS call is allowed by the function’s own policy, and every permission is used', () => {
  it.each(functionNames)('%s', (name: FunctionName) => {
    const { policy } = stack.template.functions[name];
    const calls = stack.aws.callsOf(name).flatMap((call) => call.authorisations);
    expect(calls.length, `${name} made no AWS call`).toBeGreaterThan(0);
    expect(
      calls.filter((call) => !allowed(policy, call)),
      'calls the policy does not allow',
    ).toEqual([]);
    const unused = grants(policy)
      .filter((grant) => !usedByAwsOnTheFunctionsBehalf.some((exempt) => exempt.action.test(grant.action)))
      .filter((grant) => !grantUsed(grant, calls))
      .map((grant) => `${grant.action} on ${grant.resource}`);
    expect(unused, 'permissions no call used').toEqual([]);
  });

  it('no unknown caller or service reached the stand-in', () => {
    const strangers = stack.aws.calls.filter((call) => call.caller.startsWith('unknown') || call.status === 501);
    expect(strangers.map((call) => `${call.caller} ${call.service}:${call.operation}`)).toEqual([]);
  });

  it('no function logged a pupil name, a contact address or a staff note', () => {
    for (const name of functionNames) {
      for (const word of secretWords) expect(stack.lambdas[name].log, `${name} logged ${word}`).not.toContain(word);
    }
  });
});
