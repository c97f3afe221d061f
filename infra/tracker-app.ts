import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { configFromContext, type TrackerConfig } from './config';
import { trackerStackName } from './outputs';
import { TrackerStack } from './stack';

/** The project root: functions/, package-lock.json, cdk.json. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface TrackerAppOptions extends AppProps {
  /** Run the cdk-nag rule packs during synth (default true). */
  nag?: boolean;
}

/**
 * Builds the app exactly as `cdk synth` does (infra/app.ts), so the tests synthesize the
 * same thing: config from context, one stack per trust, cdk-nag as a validation plugin.
 */
export function createTrackerApp(options: TrackerAppOptions = {}): { app: App; stack: TrackerStack; config: TrackerConfig } {
  const { nag = true, ...appProps } = options;
  const app = new App(appProps);
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const stack = new TrackerStack(app, trackerStackName(config.stage), {
    stackName: trackerStackName(config.stage),
    description: `Intervention tracker (${config.stage}): webhook, event store, notifications and weekly rollups`,
    // Region only: synthesizes without credentials; the account comes from the deploy.
    env: { region: config.region },
    config,
    projectRoot,
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, config };
}
