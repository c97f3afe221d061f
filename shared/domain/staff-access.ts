import { eventTypes, type EventType } from '../../events/event-types';

/**
 * Who may do what in the staff API (contract section 6), decided from the access token's
 * claims only. Role and school are Cognito groups (`role:<role>`, `school:<id>`): only an
 * administrator can change a user's groups, so a user cannot promote themselves or move
 * school (docs/data-model.md, "Staff identity").
 */
export const staffRoles = ['staff', 'dsl', 'leader', 'trust'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** The password policy of the deployed pool and the local emulator alike (cdk-nag AwsSolutions-COG1 and more). */
export const staffPasswordPolicy = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

/** Minutes an access token lives: a removed user's token stops working within this (contract 6). */
export const accessTokenMinutes = 15;

export const roleGroup = (role: StaffRole) => `role:${role}`;
export const schoolGroup = (schoolId: string) => `school:${schoolId}`;

export interface Principal {
  /** Cognito `sub`: what `recordedBy` stores. */
  userId: string;
  role: StaffRole;
  /** null for `trust` users, who belong to no one school. */
  schoolId: string | null;
}

/**
 * API Gateway's JWT authorizer hands claims to the function as strings, an array claim
 * flattened to `[a b c]`; the local stack does the same, and a verified token's own claims
 * (an array) are accepted too.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  const inner = claim.startsWith('[') && claim.endsWith(']') ? claim.slice(1, -1) : claim;
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** The principal of a verified access token, or undefined when its groups make no sense. */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal | undefined {
  if (claims?.token_use !== 'access' || typeof claims.sub !== 'string' || !claims.sub) return undefined;
  const groups = groupsOf(claims['cognito:groups']);
  const roles = groups.filter((group) => group.startsWith('role:')).map((group) => group.slice(5));
  const schools = groups.filter((group) => group.startsWith('school:')).map((group) => group.slice(7));
  const role = roles[0] as StaffRole | undefined;
  // Exactly one role; exactly one school except for trust users, who have none.
  if (roles.length !== 1 || !role || !staffRoles.includes(role)) return undefined;
  if (role === 'trust' ? schools.length !== 0 : schools.length !== 1) return undefined;
  return { userId: claims.sub, role, schoolId: role === 'trust' ? null : schools[0]! };
}

export type StaffAction = 'searchPupils' | 'readChronology' | 'readFigures' | 'postRecords';

const allowed: Record<StaffRole, readonly StaffAction[]> = {
  staff: ['searchPupils', 'readChronology', 'postRecords'],
  dsl: ['searchPupils', 'readChronology', 'readFigures', 'postRecords'],
  leader: ['searchPupils', 'readChronology', 'readFigures', 'postRecords'],
  // Figures of every school, and no pupil records.
  trust: ['readFigures'],
};

/** Whether `principal` may take `action` on `schoolId`'s data. */
export function mayAct(principal: Principal, action: StaffAction, schoolId: string): boolean {
  if (!allowed[principal.role].includes(action)) return false;
  return principal.role === 'trust' || principal.schoolId === schoolId;
}

/** Types that come from the MIS only: staff posting one gets it rejected with path `type`. */
export const misOnlyTypes: readonly EventType[] = ['pupil.upserted', 'attendance.marked'];
/** Every other type of the catalogue may be recorded by staff, new types included. */
export const staffRecordTypes = eventTypes.filter((type) => !misOnlyTypes.includes(type));

export function refuseForStaff(type: string): string | undefined {
  return misOnlyTypes.includes(type as EventType) ? `${type} comes from the school's MIS only` : undefined;
}

/** What a password lacks under the pool's policy (empty when it passes): for clear messages before Cognito's. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < staffPasswordPolicy.minLength) problems.push(`at least ${staffPasswordPolicy.minLength} characters`);
  if (!/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (!/[0-9]/.test(password)) problems.push('a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  return problems;
}
