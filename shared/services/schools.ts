import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { weeklyRollup } from '../../events/schedule';
import { isValidTimeZone } from '../domain/calendar';
import type { WebhookSecrets } from '../domain/signature';
import type { Clock, SchoolDirectory, SchoolProfile, WebhookSecretStore } from '../ports';

/** Registering schools and their webhook secrets: what `tracker school …` does. */

export const schoolIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
/** How long the secret before a rotation keeps working (contract section 2). */
export const rotationGraceHours = 24;

/** zod/mini: wonde-lifecycle carries this module (for SchoolError) and validates no school. */
export const newSchool = z.object({
  schoolId: z.string().check(z.regex(schoolIdPattern, { error: 'school id must be 1..64 of A-Z a-z 0-9 _ -' })),
  name: z.string().check(z.minLength(1, { error: 'school name is required' }), z.maxLength(200)),
  leaders: z.array(z.email({ error: 'each --leader must be an email address' })).check(z.minLength(1, { error: 'at least one --leader email is required' })),
  timezone: z
    ._default(z.string(), weeklyRollup.defaultTimezone)
    .check(z.refine(isValidTimeZone, { error: 'timezone must be an IANA name such as Europe/London' })),
  dslEmail: z.optional(z.email({ error: '--dsl must be an email address' })),
});
export type NewSchool = z.input<typeof newSchool>;

export class SchoolError extends Error {
  override name = 'SchoolError';
}

export interface SchoolServiceDeps {
  schools: SchoolDirectory;
  secrets: WebhookSecretStore;
  clock: Clock;
  /** The timezones with a Monday rollup schedule; undefined: every timezone in use is scheduled. */
  scheduledTimezones?: readonly string[];
}

/** 32 random bytes, hex: shown once to trust IT, never logged. */
export const newWebhookSecret = () => randomBytes(32).toString('hex');

export function validateNewSchool(input: NewSchool) {
  const parsed = newSchool.safeParse(input);
  if (!parsed.success) throw new SchoolError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export async function addSchool(input: NewSchool, deps: SchoolServiceDeps): Promise<{ profile: SchoolProfile; webhookSecret: string }> {
  const school = validateNewSchool(input);
  // A school in an unscheduled timezone would never be rolled up (docs/decisions/0001).
  if (deps.scheduledTimezones && !deps.scheduledTimezones.includes(school.timezone)) {
    const zones = [...deps.scheduledTimezones, school.timezone].join(',');
    throw new SchoolError(
      `timezone ${school.timezone} has no weekly rollup schedule in this stack (it schedules ${deps.scheduledTimezones.join(', ')}): deploy with -c schoolTimezones=${zones} first, then add the school; nothing was changed`,
    );
  }
  const webhookSecret = newWebhookSecret();
  const taken = () => new SchoolError(`school ${school.schoolId} already exists; nothing was changed`);
  // Secret first: a school without a secret can't be half-registered, and a taken id fails
  // here. A refused create that holds our own new secret (or profile) is our own write,
  // retried by the SDK after a timeout: that is success, not a taken id.
  if (!(await deps.secrets.create(school.schoolId, { current: webhookSecret }))) {
    if ((await deps.secrets.get(school.schoolId, { fresh: true }))?.current !== webhookSecret) throw taken();
  }
  const profile: SchoolProfile = { ...school, createdAt: deps.clock.now().toISOString() };
  if (!(await deps.schools.create(profile))) {
    if ((await deps.schools.get(school.schoolId))?.createdAt !== profile.createdAt) throw taken();
  }
  return { profile, webhookSecret };
}

export async function rotateSecret(schoolId: string, deps: SchoolServiceDeps): Promise<{ webhookSecret: string; previousValidUntil: string }> {
  const [school, secrets] = await Promise.all([deps.schools.get(schoolId), deps.secrets.get(schoolId, { fresh: true })]);
  if (!school || !secrets) throw new SchoolError(`no school with id ${schoolId}`);
  const previousValidUntil = new Date(deps.clock.now().getTime() + rotationGraceHours * 3_600_000).toISOString();
  const rotated: WebhookSecrets = { current: newWebhookSecret(), previous: secrets.current, previousValidUntil };
  await deps.secrets.replace(schoolId, rotated);
  return { webhookSecret: rotated.current, previousValidUntil };
}

/**
 * Ends the previous secret now instead of after the 24 h grace (a leaked key): only the
 * current secret signs from here on. Returns whether there was one still in force.
 */
export async function revokePreviousSecret(schoolId: string, deps: SchoolServiceDeps): Promise<{ revoked: boolean }> {
  const [school, secrets] = await Promise.all([deps.schools.get(schoolId), deps.secrets.get(schoolId, { fresh: true })]);
  if (!school || !secrets) throw new SchoolError(`no school with id ${schoolId}`);
  const inForce = Boolean(secrets.previous && secrets.previousValidUntil && deps.clock.now() < new Date(secrets.previousValidUntil));
  await deps.secrets.replace(schoolId, { current: secrets.current });
  return { revoked: inForce };
}
