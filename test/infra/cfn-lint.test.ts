import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/tracker-app';
import { synth } from './support';

/**
 * An independent checker over the synthesised template: cfn-lint (AWS's CloudFormation
 * linter, a Python tool: on the machine's PATH, and `.ci/run` installs it if missing), in
 * the stack's own region, with the repository's .cfnlintrc.yaml. Every finding fails.
 */
const dir = mkdtempSync(join(tmpdir(), 'tracker-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variants = {
  defaults: {},
  'every option': {
    domainName: 'tracker.example.org',
    certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
    schoolTimezones: 'Europe/London,Europe/Dublin',
    sesIdentity: 'tracker@example.org',
    sesSandboxRecipients: 'tester@example.org',
  },
};

describe('cfn-lint', () => {
  it('is on the PATH', () => {
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    expect(version.error, 'cfn-lint is not on the PATH: `pip install cfn-lint` (CI: .ci/run)').toBeUndefined();
    expect(version.stdout).toMatch(/^cfn-lint \d+\./);
  });

  it("finds nothing in the template, with defaults and with every option, in the stack's region", () => {
    const files: string[] = [];
    let region = '';
    for (const [name, context] of Object.entries(variants)) {
      const built = synth(context);
      region = built.config.region;
      const file = join(dir, `${name.replace(/\W+/g, '-')}.template.json`);
      writeFileSync(file, JSON.stringify(built.template().toJSON(), null, 1));
      files.push(file);
    }
    const result = spawnSync('cfn-lint', ['--regions', region, '--', ...files], { cwd: projectRoot, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
