import type { FunctionName } from '../functions/registry';
import type { EnvName } from '../shared/adapters/aws/environment';
import type { TableIndex } from '../shared/domain/table';

/**
 * What each function may do, in one place: the stack turns this into environment variables,
 * IAM statements and settings, and the template tests read it back. Add a permission here
 * (with the access pattern that needs it, docs/data-model.md) when a function starts to
 * need it; nothing else grants access.
 */

/** DynamoDB item actions a function may be granted. Scan is deliberately not one of them. */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:PartiQLInsert';

export interface FunctionSpec {
  description: string;
  /**
   * How the function is invoked: decides retries and where failures go. `queue`: a rule
   * puts events on an SQS queue the function drains at a bounded concurrency (mailPacing).
   */
  trigger: 'api' | 'stream' | 'rule' | 'schedule' | 'queue';
  timeoutSeconds: number;
  memoryMb: number;
  env: readonly EnvName[];
  table?: {
    actions: readonly TableAction[];
    /** Indexes the function may Query (only Query is granted on an index). */
    indexes?: readonly TableIndex[];
  };
  /** Reads the table's stream (the publisher only). */
  stream?: true;
  /** events:PutEvents on the tracker bus. */
  publishes?: true;
  /** ses:SendEmail with the stack's identity and configuration set only. */
  sendsEmail?: true;
  /** secretsmanager:GetSecretValue on `<prefix>/*` and kms:Decrypt via Secrets Manager. */
  readsWebhookSecrets?: true;
  /** secretsmanager:GetSecretValue on `<MIS_SECRETS_PREFIX>/*` (granted by infra/constructs/mis-connector.ts). */
  readsMisSecrets?: true;
}

/**
 * Mail pacing (docs/deploy.md, "Mail pacing"): the functions that mail for every stored
 * event (trigger `queue`) drain their queue at most `mailConcurrency` invocations at a time,
 * each sending one message after another, so a burst of events (300 first-day absences at
 * 09:30) waits in the queue instead of meeting SES's send-rate limit.
 */
export const mailPacing = {
  /** Lambda's minimum for an SQS event source; the `mailConcurrency` context value's default. */
  defaultMaxConcurrency: 2,
  /** Events per invocation, handled one after another (partial batch failures reported). */
  batchSize: 10,
  /** Receives before a notice goes to the function's DLQ (throttling and SES errors included). */
  maxReceiveCount: 10,
  /** AWS's advice: the queue's visibility timeout at least six times the function's timeout. */
  visibilityTimeoutFactor: 6,
} as const;

const read: TableAction[] = ['dynamodb:GetItem', 'dynamodb:Query'];
const write: TableAction[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const mail: EnvName[] = ['MAIL_FROM', 'SES_CONFIGURATION_SET'];
const storage: EnvName[] = ['TABLE_NAME', 'STORAGE_TIMEOUT_MS'];

/**
 * One DynamoDB attempt's bound: the SDK makes up to three, and all three (with the backoff
 * between them) end about 3 s before the function's timeout, so the handler can still
 * answer (the webhook with its own 503) instead of being cut off.
 */
export const storageAttemptMs = (timeoutSeconds: number) => Math.floor(((timeoutSeconds - 3) * 1000) / 3);

export const functionSpecs: Record<FunctionName, FunctionSpec> = {
  'ingest-events': {
    description: 'Webhook: verifies the HMAC signature and stores each event once',
    trigger: 'api',
    // API Gateway HTTP APIs stop waiting after 30 s; answer (with a 5xx) before that.
    timeoutSeconds: 25,
    // More memory is more CPU: a 500-event batch is validated and written concurrently.
    memoryMb: 1024,
    env: [...storage, 'SECRETS_PREFIX'],
    // GetItem: the school (pattern 1). Put/Update: conditional writes and
    // TransactWriteItems of journal items, marks and roster (patterns 3-5).
    // PartiQLInsert: new marks and events go as batched put-if-absent INSERTs (docs/performance.md).
    // Query: an incident's versions, to mark the weeks a late amendment changes (pattern 19).
    table: { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:PartiQLInsert'] },
    readsWebhookSecrets: true,
  },
  'publish-stored-events': {
    description: 'Table stream to event bus: announces each stored event exactly from the stored item',
    trigger: 'stream',
    timeoutSeconds: 60,
    memoryMb: 512,
    env: ['EVENT_BUS_NAME'],
    stream: true,
    publishes: true,
  },
  'notify-parents': {
    description: 'Parent/carer emails for stored events, each decision recorded once',
    trigger: 'queue',
    timeoutSeconds: 60,
    memoryMb: 512,
    env: [...storage, ...mail],
    // The stored record and pupil profile by key, decisions (patterns 12, 13); an
    // intervention's start on the pupil's timeline (pattern 7); an incident's versions (19).
    table: { actions: ['dynamodb:GetItem', 'dynamodb:Query', ...write], indexes: ['byPupil'] },
    sendsEmail: true,
  },
  'alert-dsl': {
    description: "Safeguarding alerts to the school's designated safeguarding lead",
    trigger: 'queue',
    timeoutSeconds: 60,
    memoryMb: 512,
    env: [...storage, ...mail],
    // The stored record and the school by key; the decision (pattern 12); an incident's versions (19).
    table: { actions: ['dynamodb:GetItem', 'dynamodb:Query', ...write] },
    sendsEmail: true,
  },
  'schedule-rollups': {
    description: 'Weekly schedule target: one rollup.requested per school in the timezone',
    trigger: 'schedule',
    timeoutSeconds: 60,
    memoryMb: 256,
    env: [...storage, 'EVENT_BUS_NAME'],
    // The school registry (pattern 2) only.
    table: { actions: [], indexes: ['byPupil'] },
    publishes: true,
  },
  'rollup-school': {
    description: "One school's weekly figures, stored and emailed to its leaders",
    trigger: 'rule',
    timeoutSeconds: 300,
    memoryMb: 1024,
    // TRUST_NAME: the school summary email names the trust.
    env: [...storage, 'EVENT_BUS_NAME', ...mail, 'TRUST_NAME'],
    // Attendance, week index, rollups (patterns 9, 11, 14, 15), pupils' names (BatchGet).
    // DeleteItem: clears the changed-week markers it folded (pattern 20).
    table: { actions: [...read, 'dynamodb:BatchGetItem', ...write, 'dynamodb:DeleteItem'], indexes: ['byWeek'] },
    publishes: true,
    sendsEmail: true,
  },
  'trust-summary': {
    description: "The trust leaders' weekly summary once every school's rollup is stored",
    trigger: 'rule',
    timeoutSeconds: 120,
    memoryMb: 512,
    env: [...storage, ...mail, 'TRUST_LEADERS', 'TRUST_NAME'],
    // All schools (pattern 2), the week's rollups (pattern 16), the send-once marker (17),
    // which a failed send deletes again (conditional DeleteItem) so a retry can claim it.
    // Nothing by key or on the base table: both reads are index Queries.
    table: { actions: [...write, 'dynamodb:DeleteItem'], indexes: ['byPupil', 'byWeek'] },
    sendsEmail: true,
  },
  'record-mail-feedback': {
    description: 'SES bounces, complaints, rejects and delays marked on the decision that sent the message; a bounced DSL alert goes to the leaders',
    trigger: 'rule',
    timeoutSeconds: 60,
    memoryMb: 256,
    // SES_CONFIGURATION_SET: feedback on another stack's mail (same account) is ignored.
    env: [...storage, ...mail],
    // GetItem: the sent message by SES id (pattern 30), school, stored incident, profile.
    // UpdateItem: the decision's feedback. PutItem: the leaders' warning claimed once, and
    // (TransactWriteItems of Update + Put) marked sent with its own message id.
    table: { actions: ['dynamodb:GetItem', ...write] },
    sendsEmail: true,
  },
  'staff-api': {
    description: 'Staff API: pupil search, chronology, weekly figures and records posted by staff',
    trigger: 'api',
    timeoutSeconds: 25,
    memoryMb: 1024,
    env: [...storage],
    // GetItem: school, pupil profile, rollup (patterns 1, 25, 28). BatchGet: a chronology page's
    // restorative sessions seen through a participant link (26), and the records its decisions
    // are about, for safeguarding restriction (27). PutItem, PartiQLInsert: the
    // webhook core's writes of journal items, participant links and incident versions (3);
    // Query and UpdateItem: as the webhook, an incident's versions and the changed-week markers
    // of a late record (19, 20). Index Queries: roster, incidents (gsi1: 24, 27), chronology
    // (gsi3: 26), a term of school-weeks for caseload and follow-ups (gsi2: 29).
    table: {
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:PartiQLInsert'],
      indexes: ['byPupil', 'byPupilTime', 'byWeek'],
    },
  },
  'sync-mis': {
    description: 'MIS connector: every 15 minutes, reads each connected school from Wonde and stores it as events',
    trigger: 'schedule',
    // Lambda's maximum: a first sync of a large school stops at the budget and resumes next run.
    timeoutSeconds: 900,
    // A Wonde page of 1,000 students with contacts is a few MB of JSON (docs/mis-connector.md).
    memoryMb: 1024,
    env: [...storage, 'MIS_SECRETS_PREFIX', 'WONDE_BASE_URL'],
    // GetItem: school, connection, pupil profile (deletions, patterns 1, 21, 23). Query only
    // on gsi1: MIS_CONNECTIONS (pattern 22). UpdateItem: cursors and state. Put/Update/
    // PartiQLInsert: the event store's writes, as ingest-events (patterns 3-5).
    table: { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:PartiQLInsert'], indexes: ['byPupil'] },
    readsMisSecrets: true,
  },
  'wonde-lifecycle': {
    description: "Wonde's schoolApproved / accessRevoked webhook: moves a connection between connected and revoked",
    trigger: 'api',
    timeoutSeconds: 25,
    memoryMb: 256,
    env: [...storage, 'MIS_SECRETS_PREFIX'],
    // Query only on gsi1: MIS_CONNECTIONS (pattern 22, the school by its Wonde id). UpdateItem: the state (21).
    table: { actions: ['dynamodb:UpdateItem'], indexes: ['byPupil'] },
    readsMisSecrets: true,
  },
};
