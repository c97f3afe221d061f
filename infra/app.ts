import { ConfigError, usesPlaceholders } from './config';
import { createTrackerApp } from './tracker-app';

/**
 * `cdk synth` / `cdk deploy` entry (cdk.json "app"). cdk-nag runs on every synth unless
 * CDK_VALIDATION=false; any unacknowledged finding fails the synth.
 */
try {
  const { app, config } = createTrackerApp({ nag: process.env.CDK_VALIDATION !== 'false' });
  if (usesPlaceholders(config)) {
    process.stderr.write(
      `note: stage ${config.stage} uses the placeholder email settings from cdk.json; set -c mailFrom=… -c sesIdentity=… -c opsEmail=… before deploying (docs/deploy.md)\n`,
    );
  }
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
