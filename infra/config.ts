import * as z from 'zod';
import { weeklyRollup } from '../events/schedule';
import { mailPacing } from './functions';
import { isValidTimeZone } from '../shared/domain/calendar';

/**
 * The deployment's settings, read from CDK context (`cdk.json` defaults, overridden with
 * `-c key=value`). Every value is validated here so a typo fails `cdk synth` with one clear
 * line instead of producing a half-working stack.
 */

/** Context values given with `-c` arrive as strings; cdk.json may hold real arrays. */
const list = (item: z.ZodType<string>) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    z.array(item),
  );

const integer = (min: number, max: number) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), z.number().int().min(min).max(max));

const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** CloudWatch Logs accepts only these retention periods (days). */
export const logRetentionChoices = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const configSchema = z
  .object({
    /** Names the stack (`InterventionTracker-<stage>`) and every resource name derived from it. */
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, { error: 'must be 1..16 of a-z 0-9 -, starting with a letter (e.g. prod)' }),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as eu-west-2' })
      .default('eu-west-2'),
    /** The From address of every email (MAIL_FROM). */
    mailFrom: z.email({ error: 'must be an email address (the From of every email)' }),
    /** The SES identity to verify: the sending domain (recommended) or the mailFrom address itself. */
    sesIdentity: z.string().refine((value) => domainPattern.test(value) || z.email().safeParse(value).success, {
      error: 'must be a domain (e.g. trust.org.uk) or an email address',
    }),
    /** Receives every CloudWatch alarm (SNS email subscription; confirm the first email). */
    opsEmail: z.email({ error: 'must be an email address (receives the alarms)' }),
    trustName: z.string().trim().min(1, { error: 'must not be empty (shown in emails)' }).max(120),
    /** Who receives the trust-wide weekly summary; may be empty. */
    trustLeaders: list(z.email({ error: 'each trust leader must be an email address' })).default([]),
    /** One weekly-rollup schedule per distinct timezone of the trust's schools. */
    schoolTimezones: list(z.string().refine(isValidTimeZone, { error: 'each timezone must be an IANA name such as Europe/London' }))
      .default([weeklyRollup.defaultTimezone])
      .refine((zones) => zones.length > 0, { error: 'at least one timezone is needed' }),
    /** Optional custom domain for the webhook API (needs an ACM certificate in the same region). */
    domainName: z.string().regex(domainPattern, { error: 'must be a host name such as tracker.trust.org.uk' }).optional(),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, { error: 'must be an ACM certificate ARN' })
      .optional(),
    /**
     * Only while SES is in its sandbox: verified test recipients. SES then authorizes each
     * recipient identity too, so the send permission must name them. Leave empty in production.
     */
    sesSandboxRecipients: list(z.email({ error: 'each sandbox recipient must be an email address' })).default([]),
    logRetentionDays: integer(1, 3653)
      .refine((days) => (logRetentionChoices as readonly number[]).includes(days), {
        error: `must be one of CloudWatch's retention periods: ${logRetentionChoices.join(', ')}`,
      })
      .default(90),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** Steady-state requests per second and burst for the webhook route. */
    apiRateLimit: integer(1, 10_000).default(50),
    apiBurstLimit: integer(1, 5_000).default(100),
    /**
     * Concurrent invocations of each mail-sending function draining its queue (2 is Lambda's
     * minimum). Each sends one message at a time: keep the sum over the sending functions,
     * times about 10 messages/s each, within the account's SES maximum send rate.
     */
    mailConcurrency: integer(2, 1_000).default(mailPacing.defaultMaxConcurrency),
  })
  .superRefine((config, context) => {
    if (Boolean(config.domainName) !== Boolean(config.certificateArn)) {
      context.addIssue({
        code: 'custom',
        path: [config.domainName ? 'certificateArn' : 'domainName'],
        message: 'domainName and certificateArn go together (the certificate must cover the domain)',
      });
    }
    if (config.certificateArn && !config.certificateArn.includes(`:acm:${config.region}:`)) {
      context.addIssue({ code: 'custom', path: ['certificateArn'], message: `must be a certificate in ${config.region}, the stack's region` });
    }
    const from = config.mailFrom.toLowerCase();
    const identity = config.sesIdentity.toLowerCase();
    const fromDomain = from.slice(from.lastIndexOf('@') + 1);
    const covered = identity.includes('@') ? from === identity : fromDomain === identity || fromDomain.endsWith(`.${identity}`);
    if (!covered) {
      context.addIssue({
        code: 'custom',
        path: ['mailFrom'],
        message: `${config.mailFrom} is not covered by the SES identity ${config.sesIdentity} (use an address at that domain, or the identity address itself)`,
      });
    }
  })
  .transform((config) => ({
    ...config,
    schoolTimezones: [...new Set(config.schoolTimezones)],
    trustLeaders: [...new Set(config.trustLeaders)],
  }));

export type TrackerConfig = z.output<typeof configSchema>;

export const configKeys = Object.keys(configSchema.in.shape) as (keyof z.input<typeof configSchema>)[];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the raw context values. Throws a ConfigError naming each bad key, how to set
 * it, and why it is wrong.
 */
export function parseConfig(raw: Record<string, unknown>): TrackerConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(config)';
    const given = raw[String(issue.path[0])];
    const message = given === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message;
    return `  -c ${key}=…  ${message}`;
  });
  return raiseConfigError(problems);
}

function raiseConfigError(problems: string[]): never {
  throw new ConfigError(`invalid deployment config (cdk.json "context" or -c key=value):\n${problems.join('\n')}`);
}

/** Reads every config key from a construct's context (e.g. the App's). */
export function configFromContext(tryGetContext: (key: string) => unknown): TrackerConfig {
  return parseConfig(Object.fromEntries(configKeys.map((key) => [key, tryGetContext(key)]).filter(([, value]) => value !== undefined)));
}

/** Placeholder values shipped in cdk.json so `npm run synth` works on a fresh machine. */
export function usesPlaceholders(config: TrackerConfig): boolean {
  return [config.mailFrom, config.sesIdentity, config.opsEmail].some((value) => /(^|[@.])example\.(org|com|net)$/i.test(value));
}
