import { sign } from '../../shared/domain/signature';

/** The requests API Gateway (HTTP API, payload format 2.0) hands the deployed functions. */

interface RequestParts {
  method: string;
  path: string;
  headers: Record<string, string>;
  pathParameters: Record<string, string>;
  body: string | undefined;
  userAgent: string;
  /** Only routes that take a query string carry the field. */
  query?: Record<string, string>;
  authorizer?: unknown;
}

function httpApiEvent(routeKey: string, parts: RequestParts) {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: parts.path,
    rawQueryString: '',
    headers: parts.headers,
    ...('query' in parts ? { queryStringParameters: parts.query } : {}),
    pathParameters: parts.pathParameters,
    isBase64Encoded: false,
    body: parts.body,
    requestContext: {
      accountId: '111122223333',
      apiId: 'wiring',
      ...(parts.authorizer ? { authorizer: parts.authorizer } : {}),
      domainName: 'wiring.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'wiring',
      http: { method: parts.method, path: parts.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: parts.userAgent },
      requestId: `wiring-${now}`,
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}

/** An MIS posting a batch to the webhook, signed with `secret`. */
export function webhookRequest(schoolId: string, secret: string, events: unknown[]) {
  const body = JSON.stringify({ events });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return httpApiEvent('POST /v1/schools/{schoolId}/events', {
    method: 'POST',
    path: `/v1/schools/${schoolId}/events`,
    headers: {
      'content-type': 'application/json',
      'x-tracker-timestamp': timestamp,
      'x-tracker-signature': sign(secret, timestamp, body),
      'content-length': String(Buffer.byteLength(body)),
    },
    pathParameters: { schoolId },
    body,
    userAgent: 'mis/1.0',
  });
}

export interface StaffRequestOptions {
  role?: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** What staff-api gets after the JWT authorizer: claims as strings, groups as `[a b]`. */
export function staffRequest(schoolId: string, routeKey: string, pathParameters: Record<string, string>, options: StaffRequestOptions = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return httpApiEvent(routeKey, {
    method: routeKey.split(' ')[0]!,
    path: '/',
    headers: body ? { 'content-type': 'application/json' } : {},
    query: options.query,
    pathParameters,
    body,
    userAgent: 'staff-app',
    authorizer: {
      jwt: { claims: { sub: 'user-wiring-1', token_use: 'access', 'cognito:groups': `[role:${options.role ?? 'staff'} school:${schoolId}]` }, scopes: null },
    },
  });
}

/** Wonde's lifecycle webhook, with the shared key in the path. */
export function wondeLifecycleRequest(pathKey: string, body: unknown) {
  return {
    version: '2.0',
    routeKey: 'POST /v1/mis/wonde/{key}',
    rawPath: `/v1/mis/wonde/${pathKey}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { key: pathKey },
    isBase64Encoded: false,
    body: JSON.stringify(body),
  };
}
