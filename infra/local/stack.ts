import { readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rules } from '../../events/rules';
import { isTrustSummaryDeadlineDue, isWeeklyRollupDue, trustSummaryDeadline, weeklyRollup } from '../../events/schedule';
import { functionFactories, type FunctionName } from '../../functions/registry';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { systemClock, trustSettingsFrom } from '../../shared/adapters/aws/environment';
import { DynamoNotificationReads, DynamoNotificationStore } from '../../shared/adapters/aws/notification-store';
import { DynamoMailFeedbackStore } from '../../shared/adapters/aws/mail-feedback-store';
import { DynamoRollupStore } from '../../shared/adapters/aws/rollup-store';
import type { TableRef } from '../../shared/adapters/aws/dynamodb';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { LocalEventBus } from '../../shared/adapters/local/local-bus';
import { OutboxMailer } from '../../shared/adapters/local/outbox';
import { makePrivateDir, tightenTree, writePrivateFile } from '../../shared/adapters/local/private-files';
import { TableSecretStore } from '../../shared/adapters/local/table-secret-store';
import { TallyMetrics } from '../../shared/adapters/local/tally-metrics';
import { DynamoMisConnectionStore, DynamoStoredRoster } from '../../shared/adapters/aws/mis-connections';
import { outboxAlerts } from '../../shared/adapters/local/mis-alerts';
import { TableMisTokenStore } from '../../shared/adapters/local/table-mis-token-store';
import { WondeSource, wondeDefaultBaseUrl, type WondeSourceOptions } from '../../shared/adapters/wonde/wonde-source';
import { weekJustEnded } from '../../shared/domain/calendar';
import { logger } from '../../shared/logger';
import type { Clock, EventPublisher, EventStore, Mailer, Ports, TrustSettings } from '../../shared/ports';
import { functionSpecs, mailPacing } from '../functions';
import { startCognitoLocal } from './cognito-local';
import { ensureTable } from './create-table';
import { ensureLocalCredentials, type LocalCredentials } from './credentials';
import { localRegion, startDynamoDBLocal } from './dynamodb-local';
import { createLocalHttpServer } from './http-server';
import { DynamoStaffReads } from '../../shared/adapters/aws/staff-reads';
import { createStaffAuthorizer } from './staff-authorizer';
import { streamDelivery } from '../stream-delivery';
import { StreamPoller } from './stream-poller';

export const localTableName = 'tracker';
/** The configuration set the outbox's simulated SES feedback names (TrustSettings.mailConfigurationSet). */
export const localConfigurationSet = 'tracker-local';

export type LocalAdapters = Ports & { table: TableRef };

export interface LocalStackOptions {
  port: number;
  /** Everything the stack keeps: DynamoDB data, outbox, dead letters, checkpoints. */
  dataDir: string;
  fresh?: boolean;
  /** Keep DynamoDB in memory (tests); the outbox still goes to dataDir. */
  inMemory?: boolean;
  settings?: TrustSettings;
  clock?: Clock;
  /** Test seams: wrap the storage or mail port (fault injection). */
  wrapEvents?: (events: EventStore) => EventStore;
  wrapMailer?: (mailer: Mailer) => Mailer;
  wrapPublisher?: (publisher: EventPublisher) => EventPublisher;
  busRetryDelayMs?: (attempt: number) => number;
  /** Deliveries at a time to each mail-sending function (the deployed `mailConcurrency`). */
  mailConcurrency?: number;
  /**
   * How long one DynamoDB call may go without a byte from DynamoDB Local before it times out
   * (the SDK then retries it, 3 attempts in all). Without it a stalled store hangs the webhook
   * for the SDK's default of 5 minutes per attempt; with it the webhook answers 503 instead.
   * (A connection timeout is deliberately not set: the SDK counts time queued for a free
   * socket against it, so under load it fails healthy calls.)
   */
  storageTimeoutMs?: number;
  /** Staff access tokens' lifetime in seconds (default 15 minutes; tests shorten it). */
  accessTokenSeconds?: number;
  /** The built staff app served at /app/ (default app/dist, built by `npm run build:app`). */
  appDir?: string;
  /** The Wonde connector's source: base URL (default WONDE_BASE_URL, else Wonde's), retry timing. */
  wonde?: WondeSourceOptions;
  /** Who gets the connector's operator alerts in the outbox (default OPS_EMAIL, else ops@localhost). */
  operators?: string[];
}

export const defaultAppDir = fileURLToPath(new URL('../../app/dist', import.meta.url));

/** The MIS sync runs every 15 minutes, on the minute timer (contract section 9). */
export const misSyncIntervalMs = 15 * 60_000;

/**
 * Default per-attempt storage timeout: DynamoDB Local answers within it even when saturated
 * (50 concurrent senders; at 5 s some calls time out), and a stalled store is answered with
 * a 503 after about 30 s instead of the SDK's 3 × 5 minutes.
 */
export const defaultStorageTimeoutMs = 10_000;

export interface LocalStack {
  url: string;
  port: number;
  dynamodbEndpoint: string;
  /** The only key that opens this stack's database (stored in dataDir, mode 0600). */
  dynamodbCredentials: LocalCredentials;
  /** DynamoDB Local's JVM (fault-injection tests pause it with SIGSTOP/SIGCONT). */
  dynamodbPid: number;
  dataDir: string;
  /** The local Cognito emulator: the staff user pool and its app client. */
  cognito: { endpoint: string; userPoolId: string; clientId: string; issuer: string };
  /** Every port, as the local stack wires them, and the table behind them (for tests). */
  adapters: LocalAdapters;
  invoke(name: FunctionName, payload: unknown): Promise<unknown>;
  /** Resolves once every stored event has gone through the stream, bus and targets. */
  flush(): Promise<void>;
  /** Runs the schedule check now (the timer runs it every minute). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { dataDir } = options;
  if (options.fresh) await rm(dataDir, { recursive: true, force: true });
  await makePrivateDir(dataDir);
  const tightened = await tightenTree(dataDir);
  if (tightened > 0) logger.info('made the data folder owner-only', { dataDir, entries: tightened });
  const credentials = await ensureLocalCredentials(dataDir);

  const dynamodb = await startDynamoDBLocal({ dataDir: options.inMemory ? undefined : join(dataDir, 'dynamodb'), credentials });
  const cognito = await startCognitoLocal({ dataDir, accessTokenSeconds: options.accessTokenSeconds }).catch(async (error) => {
    await dynamodb.stop();
    throw error;
  });
  const clientConfig = {
    endpoint: dynamodb.endpoint,
    region: localRegion,
    credentials,
    // Every phase bounded: a stalled DynamoDB Local can't accept connections (connect would
    // hang for minutes of SYN retries) nor answer, and the webhook must still answer 503.
    requestHandler: {
      connectionTimeout: options.storageTimeoutMs ?? defaultStorageTimeoutMs,
      requestTimeout: options.storageTimeoutMs ?? defaultStorageTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: options.storageTimeoutMs ?? defaultStorageTimeoutMs,
    },
  };
  const rawClient = new DynamoDBClient(clientConfig);
  const streamArn = await ensureTable(rawClient, localTableName);
  const table = {
    client: DynamoDBDocumentClient.from(rawClient, { marshallOptions: { removeUndefinedValues: true } }),
    tableName: localTableName,
  };

  const outboxDir = join(dataDir, 'outbox');
  const functions = {} as Record<FunctionName, (event: unknown) => Promise<unknown>>;
  const bus = new LocalEventBus(
    Object.entries(rules).map(([name, rule]) => ({
      name,
      pattern: rule.pattern,
      target: (event) => functions[rule.target](event),
      // Paced mail, as deployed: a bounded-concurrency queue in front of the sending function.
      ...(functionSpecs[rule.target].trigger === 'queue'
        ? { maxConcurrency: options.mailConcurrency ?? mailPacing.defaultMaxConcurrency, maxAttempts: mailPacing.maxReceiveCount }
        : {}),
    })),
    {
      maxAttempts: 3,
      deadLetterDir: join(dataDir, 'dead-letters'),
      retryDelayMs: options.busRetryDelayMs,
      onError: (rule, error, attempt) =>
        logger.warn('local bus target failed', { rule, attempt, errorName: (error as Error).name, errorMessage: (error as Error).message }),
      onDeadLetterFailure: (rule, envelope, error) =>
        logger.error('dead letter could not be written; kept in memory', { rule, envelopeId: envelope.id, errorName: (error as Error).name }),
    },
  );
  const events = new DynamoEventStore(table);
  const mailer = new OutboxMailer(outboxDir);
  // The simulator's bounces and complaints reach the local bus as SES's reach the default bus.
  mailer.feedback = { publisher: bus, configurationSet: localConfigurationSet };
  const adapters: LocalAdapters = {
    table,
    schools: new DynamoSchoolDirectory(table),
    secrets: new TableSecretStore(table),
    events: options.wrapEvents ? options.wrapEvents(events) : events,
    publisher: options.wrapPublisher ? options.wrapPublisher(bus) : bus,
    mailer: options.wrapMailer ? options.wrapMailer(mailer) : mailer,
    clock: options.clock ?? systemClock,
    settings: { mailConfigurationSet: localConfigurationSet, ...(options.settings ?? trustSettingsFrom(process.env, 'Local Trust')) },
    rollups: new DynamoRollupStore(table),
    notifications: new DynamoNotificationStore(table),
    notificationReads: new DynamoNotificationReads(table),
    mailFeedback: new DynamoMailFeedbackStore(table),
    metrics: new TallyMetrics(),
    staffReads: new DynamoStaffReads(table),
    mis: {
      source: new WondeSource({ baseUrl: process.env.WONDE_BASE_URL || wondeDefaultBaseUrl, ...options.wonde }),
      connections: new DynamoMisConnectionStore(table),
      tokens: new TableMisTokenStore(table),
      alerts: outboxAlerts(mailer, options.operators ?? [process.env.OPS_EMAIL || 'ops@localhost']),
      roster: new DynamoStoredRoster(table),
    },
  };
  for (const [name, factory] of Object.entries(functionFactories)) {
    functions[name as FunctionName] = factory(adapters) as (event: unknown) => Promise<unknown>;
  }

  const poller = new StreamPoller(
    new DynamoDBStreamsClient(clientConfig),
    streamArn,
    functions['publish-stored-events'] as never,
    {
      checkpointFile: join(dataDir, 'stream-checkpoints.json'),
      deadLetterFile: join(dataDir, 'dead-letters', 'stream.jsonl'),
      retryAttempts: streamDelivery.retryAttempts,
      batchSize: streamDelivery.batchSize,
    },
    (error) => logger.warn('stream poll failed', { errorName: (error as Error).name, errorMessage: (error as Error).message }),
  );
  await poller.start();

  const flush = async () => {
    // Targets can store more events (and publish more), so settle until nothing moves.
    for (let round = 0; round < 10; round++) {
      await poller.whenIdle();
      await bus.drain();
      await mailer.settled();
      await bus.drain();
      await poller.whenIdle();
      if (bus.idle()) return;
    }
  };

  const schedulerFile = join(dataDir, 'scheduler.json');
  const tick = async () => {
    const lastRuns: Record<string, string> = await readFile(schedulerFile, 'utf8').then(JSON.parse, () => ({}));
    const now = adapters.clock.now();
    const timezones = new Set((await adapters.schools.list()).map((school) => school.timezone));
    for (const timezone of timezones) {
      const week = weekJustEnded(now, timezone);
      if (isWeeklyRollupDue(now, timezone) && lastRuns[timezone] !== week) {
        await functions[weeklyRollup.target]({ timezone });
        lastRuns[timezone] = week;
        await writePrivateFile(schedulerFile, JSON.stringify(lastRuns));
        // Started after noon: the deadline waits a tick, for the rollups just requested.
        continue;
      }
      // The trust summary's Monday-noon deadline (events/schedule.ts), once a week per timezone.
      const deadlineRun = `deadline:${timezone}`;
      if (isTrustSummaryDeadlineDue(now, timezone) && lastRuns[deadlineRun] !== week) {
        await functions[trustSummaryDeadline.target]({ deadline: true, timezone });
        lastRuns[deadlineRun] = week;
        await writePrivateFile(schedulerFile, JSON.stringify(lastRuns));
      }
    }
    // The deployed schedule's rate(15 minutes), on the same timer.
    const lastSync = lastRuns['mis-sync'] ? Date.parse(lastRuns['mis-sync']) : 0;
    if (now.getTime() - lastSync >= misSyncIntervalMs) {
      lastRuns['mis-sync'] = now.toISOString();
      await writePrivateFile(schedulerFile, JSON.stringify(lastRuns));
      // A failing sync is logged, like the deployed function's error; the rollup check above is unaffected.
      await functions['sync-mis']({}).catch((error: Error) => logger.warn('MIS sync failed', { errorMessage: error.message }));
    }
  };
  const timer = setInterval(() => tick().catch((error) => logger.warn('scheduler failed', { errorMessage: (error as Error).message })), 60_000);

  const server = createLocalHttpServer({
    webhook: functions['ingest-events'] as never,
    misWebhook: functions['wonde-lifecycle'] as never,
    invoke: async (name, payload) => {
      if (!(name in functions)) throw new Error(`no function named ${name}`);
      return functions[name as FunctionName](payload);
    },
    flush,
    // The CLI reads the key from dataDir's credentials file, never over HTTP.
    stackInfo: () => ({
      tableName: localTableName,
      dynamodbEndpoint: dynamodb.endpoint,
      dataDir: resolve(dataDir),
      // `npm run demo` posts only into a stack that keeps DynamoDB in memory (decision 0013).
      dynamodbStorage: options.inMemory ? 'memory' : 'disk',
      cognito: { endpoint: cognito.endpoint, userPoolId: cognito.userPoolId, clientId: cognito.clientId },
    }),
    outboxDir,
    staff: {
      handler: functions['staff-api'] as never,
      authorizer: await createStaffAuthorizer(cognito),
      appDir: options.appDir ?? defaultAppDir,
      appConfig: { cognito: { endpoint: cognito.endpoint, clientId: cognito.clientId } },
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dynamodbEndpoint: dynamodb.endpoint,
    dynamodbCredentials: credentials,
    dynamodbPid: dynamodb.pid,
    dataDir,
    cognito: { endpoint: cognito.endpoint, userPoolId: cognito.userPoolId, clientId: cognito.clientId, issuer: cognito.issuer },
    adapters,
    invoke: (name, payload) => functions[name](payload),
    flush,
    tick,
    async stop() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await poller.stop();
      await bus.drain();
      rawClient.destroy();
      await Promise.all([dynamodb.stop(), cognito.stop()]);
    },
  };
}
