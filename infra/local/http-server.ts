import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readOutbox } from '../../shared/adapters/local/outbox';
import { maxBodyBytes } from '../../shared/services/receive-webhook';
import { outboxPage } from './outbox-page';
import type { StaffAuthorizer } from './staff-authorizer';
import { appFile, appSecurityHeaders, matchStaffRoute, staffEvent, type StaffHandler } from './staff-routes';

/**
 * The local twin of API Gateway: turns HTTP requests into HTTP API (v2) events for the same
 * webhook handler, plus the local-only pages (health, outbox, function invoke for the CLI).
 */
export interface LocalHttpRoutes {
  webhook: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  /** Wonde's access lifecycle webhook (`POST /v1/mis/wonde/{key}`). */
  misWebhook?: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  invoke: (name: string, payload: unknown) => Promise<unknown>;
  flush: () => Promise<void>;
  stackInfo: () => Record<string, unknown>;
  outboxDir: string;
  /** The staff API behind the local JWT check, and the staff app (contract section 6). */
  staff?: { handler: StaffHandler; authorizer: StaffAuthorizer; appDir: string; appConfig: { cognito: { endpoint: string; clientId: string } } };
}

const webhookPath = /^\/v1\/schools\/([^/]+)\/events$/;
const misWebhookPath = /^\/v1\/mis\/wonde\/([^/]+)$/;
const invokePath = /^\/local\/functions\/([a-z-]+)\/invoke$/;

const loopbackHostnames = new Set(['127.0.0.1', 'localhost', '[::1]']);
const hostnameOf = (hostAndPort: string) => hostAndPort.replace(/:\d+$/, '').toLowerCase();

/**
 * The server listens on 127.0.0.1, but a web page can still reach it through the browser:
 * by DNS rebinding (a name of its own resolving to 127.0.0.1: Host shows that name) or by a
 * cross-site request (Origin shows the page). Only requests addressed to loopback, from no
 * page or a loopback one, get an answer.
 */
export function fromThisMachine(headers: IncomingMessage['headers']): boolean {
  if (!loopbackHostnames.has(hostnameOf(headers.host ?? ''))) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  try {
    return loopbackHostnames.has(hostnameOf(new URL(origin).host));
  } catch {
    return false;
  }
}

function send(response: ServerResponse, status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) {
  const payload = Buffer.isBuffer(body) ? body : type === 'application/json' ? JSON.stringify(body) : String(body);
  response.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}

/** Staff API request: API Gateway's JWT authorizer answers 401 before the function runs. */
async function staffRequest(
  request: IncomingMessage,
  response: ServerResponse,
  staff: NonNullable<LocalHttpRoutes['staff']>,
  route: NonNullable<ReturnType<typeof matchStaffRoute>>,
) {
  const claims = await staff.authorizer.authorize(request.headers.authorization);
  if (!claims) return send(response, 401, { message: 'Unauthorized' });
  const body = await readBody(request, maxBodyBytes);
  if (!body) {
    response.setHeader('connection', 'close');
    return send(response, 413, { error: 'body is over 1 MiB' });
  }
  const result = await staff.handler(staffEvent(request, route, claims, body));
  return send(response, result.statusCode ?? 200, JSON.parse(result.body ?? '{}'), 'application/json', { 'cache-control': 'no-store' });
}

async function appRequest(path: string, response: ServerResponse, staff: NonNullable<LocalHttpRoutes['staff']>) {
  const headers = appSecurityHeaders(staff.appConfig.cognito.endpoint);
  if (path === '/app') return send(response, 308, '', 'text/plain', { ...headers, location: '/app/' });
  if (path === '/app/config.json') return send(response, 200, staff.appConfig, 'application/json', { ...headers, 'cache-control': 'no-store' });
  const file = await appFile(staff.appDir, path);
  if (!file) return send(response, 404, 'not found', 'text/plain', headers);
  return send(response, 200, file.body, file.type, headers);
}

/** Reads at most `limit` bytes; `undefined` means the body was larger. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A malformed %-escape is passed on undecoded (no school has such an id, so 401), never a 500. */
function decodePathParameter(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function apiGatewayEvent(
  request: IncomingMessage,
  pathParameters: Record<string, string>,
  body: Buffer,
  routeKey = 'POST /v1/schools/{schoolId}/events',
): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]),
  );
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.url ?? '',
    rawQueryString: '',
    headers,
    pathParameters,
    isBase64Encoded: true,
    body: body.toString('base64'),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: 'POST',
        path: request.url ?? '',
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now}`,
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}

export function createLocalHttpServer(routes: LocalHttpRoutes): Server {
  return createServer(async (request, response) => {
    try {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (!fromThisMachine(request.headers)) return send(response, 403, { error: 'the local stack answers only 127.0.0.1 / localhost' });
      const webhook = webhookPath.exec(path);
      if (webhook && request.method === 'POST') {
        const body = await readBody(request, maxBodyBytes);
        if (!body) {
          response.setHeader('connection', 'close');
          return send(response, 413, { error: 'body is over 1 MiB' });
        }
        const result = await routes.webhook(apiGatewayEvent(request, { schoolId: decodePathParameter(webhook[1]!) }, body));
        return send(response, result.statusCode ?? 200, JSON.parse(result.body ?? '{}'));
      }
      const misWebhook = misWebhookPath.exec(path);
      if (misWebhook && routes.misWebhook && request.method === 'POST') {
        const body = (await readBody(request, 64 * 1024)) ?? Buffer.alloc(0);
        const event = apiGatewayEvent(request, { key: decodePathParameter(misWebhook[1]!) }, body, 'POST /v1/mis/wonde/{key}');
        const result = await routes.misWebhook(event);
        return send(response, result.statusCode ?? 200, JSON.parse(result.body ?? '{}'));
      }
      const staffRoute = routes.staff && matchStaffRoute(request.method ?? '', path);
      if (staffRoute) return await staffRequest(request, response, routes.staff!, staffRoute);
      if (routes.staff && (path === '/app' || path.startsWith('/app/')) && request.method === 'GET') return await appRequest(path, response, routes.staff);
      if (path === '/health' && request.method === 'GET') return send(response, 200, { status: 'ok' });
      if (path === '/local/outbox' && request.method === 'GET') return send(response, 200, await readOutbox(routes.outboxDir));
      if (path === '/local/outbox.html' && request.method === 'GET') {
        return send(response, 200, outboxPage(await readOutbox(routes.outboxDir)), 'text/html; charset=utf-8');
      }
      if (path === '/local/stack' && request.method === 'GET') return send(response, 200, routes.stackInfo());
      if (path === '/local/flush' && request.method === 'POST') {
        await routes.flush();
        return send(response, 200, { status: 'idle' });
      }
      const invoke = invokePath.exec(path);
      if (invoke && request.method === 'POST') {
        const body = await readBody(request, maxBodyBytes);
        const payload = body && body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
        return send(response, 200, (await routes.invoke(invoke[1]!, payload)) ?? null);
      }
      return send(response, 404, { error: `no route for ${request.method} ${path}` });
    } catch (error) {
      return send(response, 500, { error: (error as Error).message });
    }
  });
}
