import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../shared/logger';

/**
 * A function as Lambda runs it: its ports are built from the environment on the first
 * invocation (so importing the bundle needs no environment and does no I/O), then kept
 * for the life of the execution environment. Logs carry the Lambda context.
 */
export function lambdaHandler<Event, Result>(build: () => (event: Event, context?: Context) => Promise<Result>) {
  let handle: ((event: Event, context?: Context) => Promise<Result>) | undefined;
  // The Lambda context goes on to functions that budget their time (sync-mis).
  return middy(async (event: Event, context: Context) => (handle ??= build())(event, context)).use(injectLambdaContext(logger));
}
