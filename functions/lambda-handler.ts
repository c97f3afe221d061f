import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../shared/logger';

/**
 * A function as Lambda runs it: its ports are built from the environment on the first
 * invocation (so importing the bundle needs no environment and does no I/O), then kept
 * for the life of the execution environment. Logs carry the Lambda context.
 */
export function lambdaHandler<Event, Result>(build: () => (event: Event) => Promise<Result>) {
  let handle: ((event: Event) => Promise<Result>) | undefined;
  return middy(async (event: Event) => (handle ??= build())(event)).use(injectLambdaContext(logger));
}
