import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/tracker-app';
import { cdkJson } from './support';

/**
 * infra/app.ts as the CDK CLI runs it (`npx tsx infra/app.ts` with CDK_OUTDIR and
 * CDK_CONTEXT_JSON). The synth itself is covered in-process (stack, nag tests) because a
 * subprocess synth costs several seconds; here, the error path the CLI shows to trust IT.
 */
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runApp(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'tracker-cdk-'));
  outdirs.push(outdir);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'infra/app.ts')], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson().context, 'aws:cdk:bundling-stacks': [], ...context }),
      ...env,
    },
  });
  return { ...result, outdir };
}

describe('infra/app.ts', () => {
  it('is what cdk.json runs', () => {
    expect(cdkJson().app).toBe('npx tsx infra/app.ts');
  });

  it('stops with exit code 1 and one line per bad value', () => {
    const result = runApp({ mailFrom: 'nobody', stage: 'prod' }, { CDK_VALIDATION: 'false' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('invalid deployment config');
    expect(result.stderr).toMatch(/-c mailFrom=… {2}must be an email address/);
    expect(existsSync(join(result.outdir, 'InterventionTracker-prod.template.json'))).toBe(false);
  }, 30_000);
});
