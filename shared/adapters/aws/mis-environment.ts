import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Adapters } from '../../ports';
import type { MisAdapters } from '../../ports/mis';
import { logAlerts } from './operator-alerts';
import { WondeSource, wondeDefaultBaseUrl } from '../wonde/wonde-source';
import { DynamoMisConnectionStore, DynamoStoredRoster } from './mis-connections';
import { SecretsManagerMisTokenStore } from './secrets-manager-mis-tokens';

/**
 * The MIS connector's deployed adapters, built on first use from MIS_SECRETS_PREFIX and
 * (optionally) WONDE_BASE_URL. Kept beside environment.ts rather than in it, so only the
 * two connector functions construct them.
 */
export function withAwsMisAdapters(base: Adapters): Adapters {
  let mis: MisAdapters | undefined;
  const build = (): MisAdapters => {
    const prefix = process.env.MIS_SECRETS_PREFIX;
    if (!prefix) throw new Error('environment variable MIS_SECRETS_PREFIX is not set');
    return {
      source: new WondeSource({ baseUrl: process.env.WONDE_BASE_URL || wondeDefaultBaseUrl }),
      connections: new DynamoMisConnectionStore(base.table),
      tokens: new SecretsManagerMisTokenStore(new SecretsManagerClient({}), prefix),
      alerts: logAlerts,
      roster: new DynamoStoredRoster(base.table),
    };
  };
  return new Proxy(base, {
    get: (target, property, receiver) => (property === 'mis' ? (mis ??= build()) : Reflect.get(target, property, receiver)),
  });
}
