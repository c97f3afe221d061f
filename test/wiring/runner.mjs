// A Lambda execution environment in miniature: imports the bundled handler once (a cold
// start), then invokes it for each event the parent sends, with a Lambda-shaped context.
// It runs in a fresh process whose environment is exactly what the template gives.
import { pathToFileURL } from 'node:url';

const [bundle, handlerName, timeoutSeconds] = process.argv.slice(2);
let handler;
let initError;
try {
  const module = await import(pathToFileURL(bundle).href);
  handler = module[handlerName];
  if (typeof handler !== 'function') throw new Error(`${handlerName} is not exported by the bundle`);
} catch (error) {
  initError = error;
}

let invocation = 0;
process.on('message', async ({ id, event }) => {
  if (initError) return process.send({ id, error: { name: initError.name, message: `init: ${initError.message}` } });
  const deadline = Date.now() + Number(timeoutSeconds) * 1000;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: `wiring-request-${++invocation}`,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    process.send({ id, result: result === undefined ? null : result });
  } catch (error) {
    process.send({ id, error: { name: error?.name, message: error?.message } });
  }
});
process.send({ ready: true });
