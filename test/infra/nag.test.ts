import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { listAcknowledgements } from '../../infra/nag';
import { projectRoot } from '../../infra/tracker-app';
import { synth } from './support';

interface ValidationReport {
  pluginReports: { summary?: { pluginName?: string }; violations?: { ruleName: string; severity?: string }[] }[];
}

/** cdk-nag v3 is a policy-validation plugin: findings land in the assembly's validation report. */
function validationReport(directory: string): ValidationReport {
  return JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8'));
}

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it('the stack synthesizes with zero unacknowledged errors or warnings', () => {
    const { app } = synth({}, { nag: true });
    const assembly = app.synth();
    const report = validationReport(assembly.directory);
    const violations = report.pluginReports.flatMap((plugin) => plugin.violations ?? []);
    expect(violations.map((violation) => `${violation.severity}: ${violation.ruleName}`)).toEqual([]);
  });

  it('the packs really run: an unacknowledged bad resource fails the synth', () => {
    const { app, stack } = synth({}, { nag: true });
    new sqs.Queue(stack, 'CarelessQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const role = new iam.Role(stack, 'CarelessRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('AwsSolutions-SQS4');
    expect(message).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
    expect(message).toContain('Serverless-SQSRedrivePolicy');
    expect(message).toContain('CarelessQueue');
    // The stack's own resources stay clean.
    expect(message).not.toMatch(/InterventionTracker-dev\/(?!Careless)/);
  });

  it('also passes with every optional feature on (custom domain, several timezones, address identity)', () => {
    const { app } = synth(
      {
        domainName: 'tracker.example.org',
        certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
        schoolTimezones: 'Europe/London,Europe/Dublin',
        sesIdentity: 'tracker@example.org',
        sesSandboxRecipients: 'tester@example.org',
      },
      { nag: true },
    );
    const violations = validationReport(app.synth().directory).pluginReports.flatMap((plugin) => plugin.violations ?? []);
    expect(violations).toEqual([]);
  });
});

describe('acknowledgements', () => {
  const { stack } = synth();
  const acknowledgements = listAcknowledgements(stack);

  it('are made on specific resources, never on the stack or app', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path } of acknowledgements) expect(path.split('/').length, path).toBeGreaterThan(1);
  });

  it('each carries a specific reason', () => {
    for (const { id, reason } of acknowledgements) {
      expect(reason.length, id).toBeGreaterThan(80);
      expect(reason, id).not.toMatch(/^(n\/a|todo|ok|fine|suppressed)\b/i);
    }
  });

  it('docs/deploy.md lists every acknowledged rule', () => {
    const docs = readFileSync(join(projectRoot, 'docs/deploy.md'), 'utf8');
    const ids = new Set(
      acknowledgements.map(({ id }) => id.replace(/(intervention-tracker(?:-mis)?)\/dev\//, '$1/<stage>/').replace(':eu-west-2:', ':<region>:')),
    );
    for (const id of ids) expect(docs, id).toContain(id);
  });
});
