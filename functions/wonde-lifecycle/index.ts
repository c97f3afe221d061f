import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { awsAdapters } from '../../shared/adapters/aws/environment';
import { withAwsMisAdapters } from '../../shared/adapters/aws/mis-environment';
import { logger } from '../../shared/logger';
import type { Adapters } from '../../shared/ports';
import { receiveWondeLifecycle } from '../../shared/services/mis-connections';

/** `POST /v1/mis/wonde/{key}`: Wonde's schoolApproved / accessRevoked (never adds a school). */
export function wondeLifecycle(adapters: Adapters) {
  return async (request: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const mis = adapters.mis;
    if (!mis) throw new Error('the MIS connector is not configured in this environment');
    const body = Buffer.from(request.body ?? '', request.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
    const response = await receiveWondeLifecycle({ key: request.pathParameters?.key ?? '', body }, { clock: adapters.clock, mis });
    // The key is part of the path: never log the path or the key.
    logger.info('Wonde lifecycle webhook answered', { status: response.status, outcome: response.body.status ?? response.body.error });
    return { statusCode: response.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  };
}

export const handler = middy(wondeLifecycle(withAwsMisAdapters(awsAdapters))).use(injectLambdaContext(logger));
