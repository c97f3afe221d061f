import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DeployedFunction } from './template';

/**
 * Starts a bundled function in a fresh Node.js process (the runtime's major, as npm scripts
 * put Node 24 first on PATH) with exactly the template's environment, the variables the
 * Lambda runtime itself sets, and `AWS_ENDPOINT_URL` pointing the SDK at the stand-in.
 * Nothing of the test process's own environment leaks in.
 */

/** What the Lambda runtime sets in every execution environment (AWS Lambda "Defined runtime environment variables"). */
function runtimeEnvironment(fn: DeployedFunction, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, region: string) {
  const functionName = `tracker-wiring-${fn.name}`;
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/01/[$LATEST]wiring',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    LAMBDA_TASK_ROOT: fn.assetDir,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: '/usr/local/bin:/usr/bin:/bin',
  };
}

export interface InvocationError {
  name: string;
  message: string;
}

export class DeployedLambda {
  private child?: ChildProcess;
  private sequence = 0;
  private readonly pending = new Map<number, (reply: { result?: unknown; error?: InvocationError }) => void>();
  /** Everything the function wrote to stdout and stderr (its CloudWatch log). */
  log = '';

  constructor(
    readonly fn: DeployedFunction,
    private readonly options: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }; region: string },
  ) {}

  get environment(): Record<string, string> {
    return { ...this.fn.environment, ...runtimeEnvironment(this.fn, this.options.credentials, this.options.region), AWS_ENDPOINT_URL: this.options.endpoint };
  }

  async start(): Promise<void> {
    const [file, exportName] = this.fn.handler.split('.') as [string, string];
    const child = fork(join(import.meta.dirname, 'runner.mjs'), [join(this.fn.assetDir, `${file}.mjs`), exportName, String(this.fn.timeoutSeconds)], {
      env: this.environment,
      cwd: this.fn.assetDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.child = child;
    child.stdout!.on('data', (chunk) => (this.log += chunk));
    child.stderr!.on('data', (chunk) => (this.log += chunk));
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${this.fn.name} exited during start (${code}): ${this.log}`)));
      child.on('message', (message: any) => {
        if (message.ready) return resolve();
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      });
    });
  }

  /** Invokes the handler as Lambda would; a thrown error comes back as `error`. */
  invoke(event: unknown): Promise<{ result?: any; error?: InvocationError }> {
    const id = ++this.sequence;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child!.send({ id, event });
    });
  }

  /** Invokes and fails the test with the function's own error when it throws. */
  async call(event: unknown): Promise<any> {
    const { result, error } = await this.invoke(event);
    if (error) throw new Error(`${this.fn.name} threw ${error.name}: ${error.message}`);
    return result;
  }

  stop() {
    this.child?.kill();
  }
}
