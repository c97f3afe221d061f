import type { PolicyStatement } from './template';

/**
 * IAM evaluation for the calls a function made: Allow statements only (the stack writes no
 * Deny), action and resource with IAM's `*` and `?` wildcards, and the condition operators
 * the stack uses, for the condition keys a recorded request carries.
 */

/** One authorisation IAM makes for an API call (a transaction or batch makes several). */
export interface Authorisation {
  action: string;
  resource: string;
  /** Condition keys this request sets (e.g. `ses:FromAddress`). */
  context?: Record<string, string>;
}

const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

export const matchesIam = (pattern: string, value: string) => wildcard(pattern).test(value);

function conditionHolds(operator: string, key: string, expected: string | string[], context: Record<string, string>): boolean {
  const actual = context[key];
  // A key the request does not carry is one a service sets (kms:ViaService…): such
  // statements are checked by the exemptions, not here.
  if (actual === undefined) return false;
  const values = Array.isArray(expected) ? expected : [expected];
  if (operator === 'StringEquals') return values.includes(actual);
  if (operator === 'StringLike') return values.some((value) => matchesIam(value, actual));
  throw new Error(`condition operator ${operator} is not evaluated by the wiring tests`);
}

export function statementAllows(statement: PolicyStatement, call: Authorisation): boolean {
  if (!statement.actions.some((action) => matchesIam(action, call.action))) return false;
  if (!statement.resources.some((resource) => matchesIam(resource, call.resource))) return false;
  return Object.entries(statement.conditions).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, call.context ?? {})),
  );
}

export const allowed = (policy: PolicyStatement[], call: Authorisation) => policy.some((statement) => statementAllows(statement, call));

/** Each (statement, action, resource) a policy grants, to find the ones no call used. */
export function grants(policy: PolicyStatement[]) {
  return policy.flatMap((statement) => statement.actions.flatMap((action) => statement.resources.map((resource) => ({ statement, action, resource }))));
}

export function grantUsed(grant: { statement: PolicyStatement; action: string; resource: string }, calls: Authorisation[]): boolean {
  return calls.some((call) => matchesIam(grant.action, call.action) && matchesIam(grant.resource, call.resource) && statementAllows(grant.statement, call));
}
