import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authorisation } from './policy';
import { account, region } from './template';

/**
 * The AWS a deployed function talks to, as one HTTP endpoint (`AWS_ENDPOINT_URL`): the
 * bundled SDK clients sign and send real wire-protocol requests here. DynamoDB requests
 * are forwarded to DynamoDB Local; SES, EventBridge, Secrets Manager and Scheduler are
 * answered by recording stand-ins. Every request is recorded as the IAM authorisations it
 * needs, under the function whose credentials signed it.
 */

export interface RecordedCall {
  caller: string;
  service: string;
  operation: string;
  authorisations: Authorisation[];
  body: any;
  status: number;
}

interface Failure {
  status: number;
  type: string;
  message: string;
}

const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
const tableArn = (name: string) => (name.startsWith('arn:') ? name : arn('dynamodb', `table/${name}`));

/** DynamoDB: the IAM actions an operation is authorised as (transactions and PartiQL per item). */
function dynamodbAuthorisations(operation: string, body: any): Authorisation[] {
  const on = (action: string, table: string, index?: string) => ({
    action: `dynamodb:${action}`,
    resource: `${tableArn(table)}${index ? `/index/${index}` : ''}`,
  });
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(body.RequestItems).map((table) => on(operation, table));
    case 'TransactWriteItems':
      return body.TransactItems.map((item: any) => {
        const [kind, request] = Object.entries(item)[0] as [string, any];
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind]!;
        return on(action, request.TableName);
      });
    case 'TransactGetItems':
      return body.TransactItems.map((item: any) => on('GetItem', item.Get.TableName));
    case 'ExecuteStatement':
      return [partiql(body.Statement)];
    case 'BatchExecuteStatement':
      return body.Statements.map((statement: any) => partiql(statement.Statement));
    case 'Query':
    case 'Scan':
      return [on(operation, body.TableName, body.IndexName)];
    default:
      return [on(operation, body.TableName)];
  }
  function partiql(statement: string): Authorisation {
    const match = /^\s*(INSERT\s+INTO|SELECT\s+.*?\s+FROM|UPDATE|DELETE\s+FROM)\s+"([^"]+)"(?:\."([^"]+)")?/is.exec(statement);
    if (!match) throw new Error(`unreadable PartiQL statement: ${statement.slice(0, 40)}`);
    const verb = match[1]!.split(/\s/)[0]!.toUpperCase();
    const action = { INSERT: 'PartiQLInsert', SELECT: 'PartiQLSelect', UPDATE: 'PartiQLUpdate', DELETE: 'PartiQLDelete' }[verb]!;
    return on(action, match[2]!, match[3]);
  }
}

export class AwsStandIn {
  readonly calls: RecordedCall[] = [];
  /** Secrets Manager's contents, by secret name. */
  readonly secrets = new Map<string, string>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly callers = new Map<string, string>();
  private server?: Server;
  private sequence = 0;

  constructor(
    private readonly dynamodbEndpoint: string,
    /** The access key DynamoDB Local's data lives under: every forwarded request uses it. */
    private readonly dynamodbAccessKey: string,
  ) {}

  /** Credentials that identify a caller (as a Lambda role's session credentials would). */
  credentialsFor(caller: string) {
    const accessKeyId = `ASIAWIRING${(this.callers.size + 1).toString().padStart(6, '0')}`;
    this.callers.set(accessKeyId, caller);
    return { accessKeyId, secretAccessKey: 'wiring-secret', sessionToken: `wiring-session-${caller}` };
  }

  /** The next `count` calls of `operation` (e.g. `ses:SendEmail`) fail as AWS would answer. */
  failNext(operation: string, failure: Failure, count = 1) {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...Array.from({ length: count }, () => failure)]);
  }

  callsOf(caller: string) {
    return this.calls.filter((call) => call.caller === caller);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: error.message }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const authorization = String(request.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
    if (!scope) return void response.writeHead(403).end('{"message":"unsigned request"}');
    const [, accessKeyId, , service] = scope as unknown as [string, string, string, string];
    const caller = this.callers.get(accessKeyId) ?? `unknown:${accessKeyId}`;
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
    const operation = target ? target.split('.').pop()! : restOperation(service, request.method!, request.url!);
    const call: RecordedCall = { caller, service, operation, authorisations: [], body, status: 200 };
    this.calls.push(call);

    const failure = this.failures.get(`${service}:${operation}`)?.shift();
    if (failure) {
      call.status = failure.status;
      return void response
        .writeHead(failure.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': failure.type })
        .end(JSON.stringify({ __type: failure.type, message: failure.message }));
    }

    switch (service) {
      case 'dynamodb': {
        call.authorisations = dynamodbAuthorisations(operation, body);
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
        ) as Record<string, string>;
        headers.authorization = authorization.replace(accessKeyId, this.dynamodbAccessKey);
        const forwarded = await fetch(this.dynamodbEndpoint, { method: 'POST', headers, body: raw });
        call.status = forwarded.status;
        const text = await forwarded.text();
        return void response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/x-amz-json-1.0' }).end(text);
      }
      case 'events': {
        call.authorisations = (body.Entries ?? []).map((entry: any) => ({
          action: `events:${operation}`,
          resource: String(entry.EventBusName ?? 'default').startsWith('arn:')
            ? entry.EventBusName
            : arn('events', `event-bus/${entry.EventBusName ?? 'default'}`),
        }));
        return json(response, { FailedEntryCount: 0, Entries: (body.Entries ?? []).map(() => ({ EventId: `wiring-${++this.sequence}` })) });
      }
      case 'secretsmanager': {
        const name = String(body.SecretId);
        call.authorisations = [
          { action: `secretsmanager:${operation}`, resource: name.startsWith('arn:') ? name : arn('secretsmanager', `secret:${name}-AbCdEf`) },
        ];
        const value = this.secrets.get(name);
        if (operation === 'GetSecretValue' && value !== undefined) return json(response, { Name: name, SecretString: value });
        call.status = 400;
        return void response
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ResourceNotFoundException' })
          .end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
      }
      case 'ses': {
        const from = String(body.FromEmailAddress ?? '');
        const identity = from.split('@')[1] ?? from;
        const context = { 'ses:FromAddress': from };
        call.authorisations = [
          { action: `ses:${operation}`, resource: arn('ses', `identity/${identity}`), context },
          ...(body.ConfigurationSetName
            ? [{ action: `ses:${operation}`, resource: arn('ses', `configuration-set/${body.ConfigurationSetName}`), context }]
            : []),
        ];
        return json(response, { MessageId: `wiring-message-${++this.sequence}` });
      }
      case 'scheduler': {
        const name = decodeURIComponent(request.url!.split('?')[0]!.split('/').pop()!);
        const group = body.GroupName ?? new URL(request.url!, 'http://x').searchParams.get('groupName') ?? 'default';
        call.authorisations = [{ action: `scheduler:${operation}`, resource: arn('scheduler', `schedule/${group}/${name}`) }];
        if (body.Target?.RoleArn) call.authorisations.push({ action: 'iam:PassRole', resource: body.Target.RoleArn });
        return json(response, { ScheduleArn: arn('scheduler', `schedule/${group}/${name}`) });
      }
      default:
        call.status = 501;
        return void response.writeHead(501).end(JSON.stringify({ message: `no stand-in for ${service}` }));
    }
  }
}

/** REST-JSON services name the operation by method and path. */
function restOperation(service: string, method: string, url: string): string {
  if (service === 'ses' && method === 'POST' && url.startsWith('/v2/email/outbound-emails')) return 'SendEmail';
  if (service === 'scheduler' && url.startsWith('/schedules/')) {
    return { POST: 'CreateSchedule', PUT: 'UpdateSchedule', DELETE: 'DeleteSchedule', GET: 'GetSchedule' }[method] ?? method;
  }
  return `${method} ${url}`;
}

function json(response: ServerResponse, body: unknown) {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
