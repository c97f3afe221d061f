import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deployedWebhookSecrets } from '../../shared/adapters/aws/cached-secret-store';
import { deployedTable } from '../../shared/adapters/aws/dynamodb';
import { systemClock } from '../../shared/adapters/aws/environment';
import { DynamoEventStore } from '../../shared/adapters/aws/event-store';
import { PowertoolsMetrics } from '../../shared/adapters/aws/powertools-metrics';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { countWebhookResults } from '../../shared/services/business-metrics';
import { receiveWebhook } from '../../shared/services/receive-webhook';
import { lambdaHandler } from '../lambda-handler';

/** Webhook `POST /v1/schools/{schoolId}/events`: HTTP API event in, contract answer out. */
export function ingestEvents(ports: Pick<Ports, 'schools' | 'secrets' | 'events' | 'clock' | 'metrics'>) {
  return async (request: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const schoolId = request.pathParameters?.schoolId ?? '';
    const body = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8');
    try {
      const response = await receiveWebhook(
        {
          schoolId,
          contentType: request.headers['content-type'],
          timestamp: request.headers['x-tracker-timestamp'],
          signature: request.headers['x-tracker-signature'],
          body,
        },
        ports,
      );
      const counts = 'results' in response.body ? countStatuses(response.body.results) : { error: response.body.error };
      logger.info('webhook answered', { schoolId, status: response.status, bytes: body.length, ...counts });
      // Results mean the signature was good: the school id is real.
      if ('results' in response.body) countWebhookResults(ports.metrics, schoolId, counts as Record<string, number>);
      ports.metrics?.flush();
      return json(response.status, response.body);
    } catch (error) {
      // Nothing is acknowledged: the sender retries the whole request and loses nothing.
      // Name and message only: a storage error's full object could carry item data.
      logger.error('webhook failed', { schoolId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      return json(503, { error: 'temporarily unable to store events; retry the whole request' });
    }
  };
}

function countStatuses(results: { status: string }[]) {
  const counts: Record<string, number> = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const { status } of results) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const handler = lambdaHandler(() =>
  ingestEvents({
    schools: new DynamoSchoolDirectory(deployedTable()),
    secrets: deployedWebhookSecrets(),
    events: new DynamoEventStore(deployedTable()),
    clock: systemClock,
    metrics: new PowertoolsMetrics(),
  }),
);
