import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { MisAdapters } from '../../ports/mis';
import { WondeSource, wondeDefaultBaseUrl } from '../wonde/wonde-source';
import { deployedTable } from './dynamodb';
import { requiredEnv } from './environment';
import { DynamoMisConnectionStore, DynamoStoredRoster } from './mis-connections';
import { logAlerts } from './operator-alerts';
import { SecretsManagerMisTokenStore } from './secrets-manager-mis-tokens';

/**
 * The MIS connector's deployed ports, from TABLE_NAME, MIS_SECRETS_PREFIX and (sync-mis only)
 * WONDE_BASE_URL; built on a function's first invocation (functions/lambda-handler.ts).
 */
export function deployedMisAdapters(): MisAdapters {
  const table = deployedTable();
  return {
    source: new WondeSource({ baseUrl: process.env.WONDE_BASE_URL || wondeDefaultBaseUrl }),
    connections: new DynamoMisConnectionStore(table),
    tokens: new SecretsManagerMisTokenStore(new SecretsManagerClient({}), requiredEnv('MIS_SECRETS_PREFIX')),
    alerts: logAlerts,
    roster: new DynamoStoredRoster(table),
  };
}
