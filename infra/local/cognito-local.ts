import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { accessTokenMinutes, roleGroup, staffPasswordPolicy, staffRoles } from '../../shared/domain/staff-access';
import { freePort, localRegion } from './dynamodb-local';

/**
 * `cognito-local` (npm), a Cognito user pool emulator speaking the same JSON API, run as a
 * child process on a free 127.0.0.1 port with its data under `<dataDir>/cognito` (owner-only).
 * It signs tokens with a key published in the package: fine on one machine, never exposed.
 * It cannot run the MFA_SETUP challenge, so the local pool has MFA off (docs/staff-access.md).
 */
export interface CognitoLocal {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  /** The `iss` of its tokens. */
  issuer: string;
  pid: number;
  stop(): Promise<void>;
}

export interface CognitoLocalOptions {
  dataDir: string;
  /** Access token lifetime in seconds (tests shorten it to see tokens expire). */
  accessTokenSeconds?: number;
}

/** cognito-local checks no signature: any credentials do (it only listens on loopback). */
export const emulatorCredentials = { accessKeyId: 'cognito-local', secretAccessKey: 'cognito-local' };

export const cognitoClient = (endpoint: string) =>
  new CognitoIdentityProviderClient({ endpoint, region: localRegion, credentials: emulatorCredentials, maxAttempts: 2 });

async function ensurePool(client: CognitoIdentityProviderClient, stateFile: string, accessTokenSeconds: number) {
  const saved = await readFile(stateFile, 'utf8').then(
    (text) => JSON.parse(text) as { userPoolId: string; clientId: string; accessTokenSeconds: number },
    () => undefined,
  );
  if (saved && saved.accessTokenSeconds === accessTokenSeconds) {
    const found = await client.send(new DescribeUserPoolCommand({ UserPoolId: saved.userPoolId })).catch(() => undefined);
    if (found?.UserPool) return saved;
  }
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: 'tracker-local-staff',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OFF',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: staffPasswordPolicy.minLength,
          RequireLowercase: staffPasswordPolicy.requireLowercase,
          RequireUppercase: staffPasswordPolicy.requireUppercase,
          RequireNumbers: staffPasswordPolicy.requireDigits,
          RequireSymbols: staffPasswordPolicy.requireSymbols,
        },
      },
    }),
  );
  const userPoolId = UserPool!.Id!;
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'tracker-local-staff-app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: accessTokenSeconds,
      IdTokenValidity: accessTokenSeconds,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' },
    }),
  );
  for (const role of staffRoles) await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: roleGroup(role) }));
  const state = { userPoolId, clientId: UserPoolClient!.ClientId!, accessTokenSeconds };
  await writeFile(stateFile, JSON.stringify(state), { mode: 0o600 });
  return state;
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const directory = join(options.dataDir, 'cognito');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
  const port = await freePort();
  const script = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  // umask 077: the emulator's own files (.cognito/db/*.json: users, password hashes) are owner-only.
  const child = spawn('sh', ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, script], {
    cwd: directory,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DEBUG: '', COGNITO_LOCAL_DEVMODE: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`);
    if (
      await fetch(`${endpoint}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    if (attempt > 300) {
      await stop();
      throw new Error('cognito-local did not start within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const client = cognitoClient(endpoint);
  try {
    const { userPoolId, clientId } = await ensurePool(client, join(directory, 'pool.json'), options.accessTokenSeconds ?? accessTokenMinutes * 60);
    return { endpoint, userPoolId, clientId, issuer: `${endpoint}/${userPoolId}`, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}
