import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { functionNames, type FunctionName } from '../../functions/registry';
import { createTrackerApp, projectRoot } from '../../infra/tracker-app';

/** cdk.json's context: the defaults `npm run synth` uses. */
export function cdkJson(): { app: string; context: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8'));
}

/**
 * Builds the app as `cdk synth` does, with cdk.json's context plus overrides, and bundling
 * skipped (no esbuild run) so a synth takes well under a second.
 */
export function synth(overrides: Record<string, unknown> = {}, options: { nag?: boolean; bundle?: boolean } = {}) {
  const context = { ...cdkJson().context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...overrides };
  const built = createTrackerApp({ context, nag: options.nag ?? false });
  return { ...built, template: () => Template.fromStack(built.stack) };
}

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** Resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, resource]) => resource.Type === type);
}

export function resource(template: Template, logicalId: string): Resource {
  const found = (template.toJSON().Resources as Record<string, Resource>)[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function refOf(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return object.Ref;
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}

export const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>>; Effect: string; Sid?: string };

export interface DeployedFunction {
  logicalId: string;
  properties: Record<string, any>;
  roleId: string;
  statements: Statement[];
}

/** Each function by its registry name, with the statements of every policy on its role. */
export function deployedFunctions(t: Template): Record<FunctionName, DeployedFunction> {
  const policies = resourcesOf(t, 'AWS::IAM::Policy');
  const entries = resourcesOf(t, 'AWS::Lambda::Function').map(([logicalId, fn]) => {
    const name = functionNames.find((candidate) => String(fn.Properties.FunctionName).endsWith(`-${candidate}`))!;
    const roleId = refOf(fn.Properties.Role)!;
    const statements = policies
      .filter(([, policy]) => asArray(policy.Properties.Roles).some((role) => refOf(role) === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
    return [name, { logicalId, properties: fn.Properties, roleId, statements }] as const;
  });
  return Object.fromEntries(entries) as Record<FunctionName, DeployedFunction>;
}

/** The template `npm run synth` produces from cdk.json's defaults (bundling skipped), with the stage and sender it was built for. */
export function defaultTemplate() {
  const built = synth();
  return { template: built.template(), stage: built.config.stage, mailFrom: built.config.mailFrom };
}
