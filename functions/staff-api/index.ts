import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { systemClock } from '../../shared/adapters/aws/environment';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { DynamoStaffReads } from '../../shared/adapters/aws/staff-reads';
import { principalFromClaims } from '../../shared/domain/staff-access';
import { logger } from '../../shared/logger';
import * as staff from '../../shared/services/staff-api';
import { lambdaHandler } from '../lambda-handler';
import type { StaffRoute } from './routes';

/**
 * Staff API: API Gateway has verified the access token (JWT authorizer; locally the same
 * check in infra/local/staff-authorizer.ts); role and school are re-derived here from its
 * claims and every use case checks them before reading anything.
 */
export function staffApi(deps: staff.StaffApiDependencies) {
  return async (request: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
    const claims = request.requestContext.authorizer?.jwt?.claims;
    if (!claims) return json(401, { error: 'sign in: Authorization: Bearer <access token>' });
    const principal = principalFromClaims(claims);
    const schoolId = request.pathParameters?.schoolId ?? '';
    const route = request.routeKey as StaffRoute;
    try {
      const response = principal ? await answer(route, principal, request, deps) : staff.forbidden;
      logger.info('staff api answered', { route, status: response.status, schoolId, role: principal?.role });
      return json(response.status, response.body);
    } catch (error) {
      logger.error('staff api failed', { route, schoolId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      return json(503, { error: 'temporarily unavailable; nothing was stored unless a retry says duplicate' });
    }
  };
}

function answer(
  route: StaffRoute,
  principal: NonNullable<ReturnType<typeof principalFromClaims>>,
  request: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: staff.StaffApiDependencies,
) {
  const path = request.pathParameters ?? {};
  const query = request.queryStringParameters ?? {};
  const schoolId = path.schoolId ?? '';
  switch (route) {
    case 'GET /v1/me':
      return staff.listSchools(principal, deps).then((schools) => ({ status: 200, body: { ...principal, ...(schools.body as object) } }));
    case 'GET /v1/schools/{schoolId}/pupils':
      return staff.searchPupils(principal, schoolId, query.q, deps);
    case 'GET /v1/schools/{schoolId}/pupils/{pupilId}/chronology':
      return staff.readChronology(principal, schoolId, path.pupilId ?? '', { cursor: query.cursor, limit: query.limit }, deps);
    case 'GET /v1/schools/{schoolId}/weeks/{week}/figures':
      return staff.readFigures(principal, schoolId, path.week ?? '', deps);
    case 'POST /v1/schools/{schoolId}/records': {
      const body = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
      return staff.postRecords(principal, schoolId, body, request.headers['content-type'], deps);
    }
    case 'GET /v1/schools/{schoolId}/caseload':
      return staff.caseload(principal, schoolId, deps);
    case 'GET /v1/schools/{schoolId}/follow-ups':
      return staff.followUps(principal, schoolId, deps);
    default:
      return Promise.resolve({ status: 404, body: { error: 'no such route' } });
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

export const handler = lambdaHandler(() =>
  staffApi({
    staffReads: new DynamoStaffReads(deployedTable()),
    schools: new DynamoSchoolDirectory(deployedTable()),
    events: new DynamoEventStore(deployedTable()),
    clock: systemClock,
  }),
);
