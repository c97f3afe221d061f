import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/adapters/aws/environment';
import { deployedMisAdapters } from '../../shared/adapters/aws/mis-environment';
import { logger } from '../../shared/logger';
import type { Ports } from '../../shared/ports';
import { receiveWondeLifecycle } from '../../shared/services/mis-connections';
import { lambdaHandler } from '../lambda-handler';

/** `POST /v1/mis/wonde/{key}`: Wonde's schoolApproved / accessRevoked (never adds a school). */
export function wondeLifecycle(ports: Pick<Ports, 'clock' | 'mis'>) {
  return async (request: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const body = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
    const response = await receiveWondeLifecycle({ key: request.pathParameters?.key ?? '', body }, ports);
    // The key is part of the path: never log the path or the key.
    logger.info('Wonde lifecycle webhook answered', { status: response.status, outcome: response.body.status ?? response.body.error });
    return { statusCode: response.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  };
}

export const handler = lambdaHandler(() => wondeLifecycle({ clock: systemClock, mis: deployedMisAdapters() }));
