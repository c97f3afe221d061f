import type { Clock, TrustSettings } from '../../ports';

/**
 * What the deployed adapters read from the Lambda environment. The CDK stack sets exactly
 * the variables infra/functions.ts lists for each function, and the deployed-wiring tests
 * run each bundle with only those: a variable read here but not set there fails a test.
 */
export type EnvName =
  | 'TABLE_NAME'
  /** Per-attempt bound of a DynamoDB call, set from the function's timeout (infra/stack.ts). */
  | 'STORAGE_TIMEOUT_MS'
  | 'SECRETS_PREFIX'
  | 'EVENT_BUS_NAME'
  | 'MAIL_FROM'
  | 'SES_CONFIGURATION_SET'
  | 'TRUST_LEADERS'
  | 'TRUST_NAME'
  /** The MIS connector: Secrets Manager prefix of Wonde tokens, and Wonde's base URL. */
  | 'MIS_SECRETS_PREFIX'
  | 'WONDE_BASE_URL';

export function requiredEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const systemClock: Clock = { now: () => new Date() };

/** TRUST_LEADERS is a comma-separated list; unset or empty means no trust summary is sent. */
export function trustSettingsFrom(env: Partial<Record<EnvName, string>>, fallbackTrustName: string): TrustSettings {
  return {
    trustLeaders: (env.TRUST_LEADERS ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    trustName: env.TRUST_NAME || fallbackTrustName,
  };
}

export const deployedTrustSettings = () => trustSettingsFrom({ TRUST_LEADERS: process.env.TRUST_LEADERS, TRUST_NAME: requiredEnv('TRUST_NAME') }, '');
