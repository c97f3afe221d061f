import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { staffRoutes } from '../../functions/staff-api/routes';

/**
 * The staff API and the staff app on the local HTTP server: routes matched like API
 * Gateway's route keys, the JWT check of infra/local/staff-authorizer.ts in front, and the
 * built app (app/dist) under /app/.
 */
const matchers = staffRoutes.map((routeKey) => {
  const [method, template] = routeKey.split(' ') as [string, string];
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { routeKey, method, regex: new RegExp(`^${pattern}$`), names };
});

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function matchStaffRoute(method: string, path: string) {
  for (const matcher of matchers) {
    const found = matcher.regex.exec(path);
    if (!found || matcher.method !== method) continue;
    return { routeKey: matcher.routeKey, pathParameters: Object.fromEntries(matcher.names.map((name, index) => [name, decode(found[index + 1]!)])) };
  }
  return undefined;
}

/** The HTTP API (payload 2.0) event API Gateway hands the staff-api function after its JWT authorizer. */
export function staffEvent(
  request: IncomingMessage,
  route: { routeKey: string; pathParameters: Record<string, string> },
  claims: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]),
  );
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: route.pathParameters,
    isBase64Encoded: true,
    body: body.toString('base64'),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now}`,
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** No framing, no inline script, API and sign-in calls only where expected (CloudFront sends the same). */
export const appContentSecurityPolicy = (cognitoEndpoint: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${cognitoEndpoint}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

/** Headers of every app response locally. */
export const appSecurityHeaders = (cognitoEndpoint: string) => ({
  'content-security-policy': appContentSecurityPolicy(cognitoEndpoint),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** A file of the built app; unknown paths without an extension get index.html (client-side routes). */
export async function appFile(appDir: string, path: string): Promise<{ body: Buffer; type: string } | undefined> {
  const relative = normalize(decode(path.replace(/^\/app\/?/, '')) || 'index.html');
  const file = join(appDir, relative);
  if (relative.startsWith('..') || !file.startsWith(appDir + sep)) return undefined;
  const body = await readFile(file).catch(() => undefined);
  if (body) return { body, type: contentTypes[extname(file)] ?? 'application/octet-stream' };
  if (extname(relative)) return undefined;
  const index = await readFile(join(appDir, 'index.html')).catch(() => undefined);
  return index ? { body: index, type: contentTypes['.html']! } : undefined;
}

export type StaffHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>;
