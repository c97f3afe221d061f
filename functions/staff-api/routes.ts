/**
 * The staff API's routes as API Gateway route keys: the CDK stack adds each behind the JWT
 * authorizer, the local HTTP server matches the same keys, the handler switches on them.
 */
export const staffRoutes = [
  'GET /v1/me',
  'GET /v1/schools/{schoolId}/pupils',
  'GET /v1/schools/{schoolId}/pupils/{pupilId}/chronology',
  'GET /v1/schools/{schoolId}/weeks/{week}/figures',
  'POST /v1/schools/{schoolId}/records',
  'GET /v1/schools/{schoolId}/caseload',
  'GET /v1/schools/{schoolId}/follow-ups',
] as const;
export type StaffRoute = (typeof staffRoutes)[number];
