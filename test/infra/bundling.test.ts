import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { esmRequireBanner, TrackerFunction } from '../../infra/constructs/tracker-function';
import { functionSpecs } from '../../infra/functions';
import { projectRoot } from '../../infra/tracker-app';

/**
 * One real bundle through the shared function construct: esbuild runs locally (no Docker),
 * as `cdk synth` does for every function.
 */
let code: string;
let bundlePath: string;
let assetFiles: string[];
beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'BundlingProbe', { env: { region: 'eu-west-2' } });
  new TrackerFunction(stack, 'IngestEvents', {
    name: 'ingest-events',
    spec: functionSpecs['ingest-events'],
    stage: 'test',
    projectRoot,
    environment: {},
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'INFO',
    metricsNamespace: 'Test',
  });
  const assembly = app.synth();
  const assetDir = readdirSync(assembly.directory)
    .map((entry) => join(assembly.directory, entry))
    .find((entry) => entry.includes('asset.') && existsSync(join(entry, 'index.mjs')));
  if (!assetDir) throw new Error('no bundled asset with index.mjs');
  assetFiles = readdirSync(assetDir).sort();
  bundlePath = join(assetDir, 'index.mjs');
  code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
}, 60_000);

describe('function bundles (esbuild, local)', () => {
  it('are ESM (.mjs) with a source map and nothing else', () => {
    expect(assetFiles).toEqual(['index.mjs', 'index.mjs.map']);
    expect(code).toMatch(/\bexport\s*\{[^}]*\bhandler\b/);
  });

  it('start with the createRequire shim so CommonJS dependencies can require()', () => {
    expect(code.startsWith(esmRequireBanner)).toBe(true);
  });

  it('are minified and bundle the AWS SDK (no runtime-provided @aws-sdk imports)', () => {
    // Minified: a few very long lines (template literals and legal comments keep some breaks).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1_000);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('SecretsManager');
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
  });

  it('load in plain Node.js as Lambda loads them, exporting the handler', () => {
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)}); console.log(typeof m.handler);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function');
  });
});
