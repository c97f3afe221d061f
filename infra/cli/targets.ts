import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { documentClient, type TableRef } from '../../shared/adapters/aws/dynamodb';
import { systemClock } from '../../shared/adapters/aws/environment';
import { DynamoSchoolDirectory } from '../../shared/adapters/aws/school-directory';
import { SecretsManagerSecretStore } from '../../shared/adapters/aws/secrets-manager';
import { TableSecretStore } from '../../shared/adapters/local/table-secret-store';
import { DynamoMisConnectionStore } from '../../shared/adapters/aws/mis-connections';
import { misSecretsPrefix, SecretsManagerMisTokenStore } from '../../shared/adapters/aws/secrets-manager-mis-tokens';
import { TableMisTokenStore } from '../../shared/adapters/local/table-mis-token-store';
import type { MisConnectionStore, MisTokenStore } from '../../shared/ports/mis';
import type { Clock, SchoolDirectory, WebhookSecretStore } from '../../shared/ports';
import { credentialsFileName, readLocalCredentials } from '../local/credentials';
import { localRegion } from '../local/dynamodb-local';
import { cliOutputs, trackerStackName } from '../outputs';

/** Where a CLI command acts: the local stack (default) or a deployed stage (`--stage`). */
export interface CliTarget {
  description: string;
  table: TableRef;
  schools: SchoolDirectory;
  secrets: WebhookSecretStore;
  clock: Clock;
  webhookUrl(schoolId: string): string;
  /**
   * Timezones the target schedules Monday rollups in; undefined when it schedules every
   * timezone in use (the local stack). `school add` refuses any other.
   */
  scheduledTimezones?: string[];
  /** The staff user pool (infra/cli/staff.ts). */
  staffPool(): StaffPoolRef;
  /** Where `tracker app publish` uploads the staff app (deployed stages only). */
  staffAppBucket(): { bucket: string; region: string; url: string };
  /** The MIS connector's connections and tokens (Secrets Manager when deployed). */
  mis: { connections: MisConnectionStore; tokens: MisTokenStore };
  /** Runs a function as its trigger would (Lambda Invoke, or the local stack's twin). */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}

export interface StaffPoolRef {
  userPoolId: string;
  clientId: string;
  /** Cognito's endpoint: the emulator locally, `https://cognito-idp.<region>.amazonaws.com` deployed. */
  endpoint: string;
  region: string;
  /** Locally, where a new user's invitation goes (Cognito emails it when deployed). */
  outboxDir?: string;
}

export class CliError extends Error {
  override name = 'CliError';
}

/** Stack outputs the CLI reads, and the stack's name: defined once in infra/outputs.ts. */
export const stackOutputs = cliOutputs;
export const stackName = trackerStackName;

/** Functions the CLI may invoke on a deployed stage, by the output naming each. */
const invocableFunctions: Record<string, string> = {
  'rollup-school': stackOutputs.rollupFunction,
  'publish-stored-events': stackOutputs.publisherFunction,
  'sync-mis': stackOutputs.syncFunction,
};

export async function localTarget(port: number): Promise<CliTarget> {
  const base = `http://127.0.0.1:${port}`;
  const info = await fetch(`${base}/local/stack`)
    .then(
      (response) =>
        response.json() as Promise<{
          tableName: string;
          dynamodbEndpoint: string;
          dataDir: string;
          cognito: { endpoint: string; userPoolId: string; clientId: string };
        }>,
    )
    .catch(() => {
      throw new CliError(`no local stack answers at ${base}: start it with \`npm start\` (same PORT), or pass --stage NAME`);
    });
  // The database opens only with the key in the stack's data folder (owner-only).
  const credentials = await readLocalCredentials(info.dataDir).catch((error: Error) => {
    throw new CliError(
      `cannot read the local stack's key in ${info.dataDir}/${credentialsFileName} (${error.message}): run the CLI as the user who ran \`npm start\``,
    );
  });
  const table = {
    client: documentClient({ endpoint: info.dynamodbEndpoint, region: localRegion, credentials }),
    tableName: info.tableName,
  };
  return {
    description: `local stack at ${base}`,
    table,
    schools: new DynamoSchoolDirectory(table),
    secrets: new TableSecretStore(table),
    mis: { connections: new DynamoMisConnectionStore(table), tokens: new TableMisTokenStore(table) },
    clock: systemClock,
    webhookUrl: (schoolId) => `${base}/v1/schools/${schoolId}/events`,
    staffPool: () => ({ ...info.cognito, region: localRegion, outboxDir: join(info.dataDir, 'outbox') }),
    staffAppBucket: () => {
      throw new CliError(`the local stack serves the staff app from app/dist itself (${base}/app/): publish needs --stage`);
    },
    async invoke(functionName, payload) {
      const response = await fetch(`${base}/local/functions/${functionName}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      const body = (await response.json()) as { error?: string };
      if (!response.ok) throw new CliError(`${functionName} failed: ${body.error ?? response.status}`);
      return body;
    },
  };
}

export async function stageTarget(stage: string, region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-2'): Promise<CliTarget> {
  const cloudFormation = new CloudFormationClient({ region });
  const name = stackName(stage);
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name })).catch((error: Error) => {
    throw new CliError(`cannot read stack ${name} in ${region}: ${error.message}`);
  });
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const output = (key: string) => {
    const value = outputs.get(key);
    if (!value) throw new CliError(`stack ${name} has no output ${key}: deploy the current version first`);
    return value;
  };
  const table = { client: documentClient({ region }), tableName: output(stackOutputs.tableName) };
  const apiUrl = output(stackOutputs.apiUrl).replace(/\/$/, '');
  const lambda = new LambdaClient({ region });
  const scheduledTimezones = output(stackOutputs.scheduledTimezones).split(',').filter(Boolean);
  return {
    scheduledTimezones,
    description: `stage ${stage} (${name}, ${region})`,
    table,
    schools: new DynamoSchoolDirectory(table),
    secrets: new SecretsManagerSecretStore(new SecretsManagerClient({ region }), output(stackOutputs.secretsPrefix), output(stackOutputs.secretsKey)),
    mis: {
      connections: new DynamoMisConnectionStore(table),
      tokens: new SecretsManagerMisTokenStore(new SecretsManagerClient({ region }), misSecretsPrefix(stage), output(stackOutputs.secretsKey)),
    },
    clock: systemClock,
    webhookUrl: (schoolId) => `${apiUrl}/v1/schools/${schoolId}/events`,
    staffPool: () => ({
      userPoolId: output(stackOutputs.staffUserPoolId),
      clientId: output(stackOutputs.staffUserPoolClientId),
      endpoint: `https://cognito-idp.${region}.amazonaws.com`,
      region,
    }),
    staffAppBucket: () => ({ bucket: output(stackOutputs.staffAppBucket), region, url: output(stackOutputs.staffAppUrl) }),
    async invoke(functionName, payload) {
      const outputName = invocableFunctions[functionName];
      if (!outputName) throw new CliError(`the CLI does not invoke ${functionName} on a deployed stage`);
      const functionArn = output(outputName);
      const result = await lambda.send(new InvokeCommand({ FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(payload)) }));
      const body = result.Payload ? JSON.parse(Buffer.from(result.Payload).toString('utf8')) : null;
      if (result.FunctionError) throw new CliError(`${functionName} failed: ${body?.errorMessage ?? result.FunctionError}`);
      return body;
    },
  };
}
