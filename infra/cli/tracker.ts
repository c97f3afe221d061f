import { parseArgs } from 'node:util';
import { rollupSource } from '../../events/bus';
import { isIsoWeek } from '../../shared/domain/calendar';
import { dateInZone } from '../../shared/domain/calendar';
import { readPupilRecords } from '../../shared/adapters/aws/pupil-records';
import { pupilExport } from '../../shared/services/pupil-export';
import { addSchool, revokePreviousSecret, rotateSecret, SchoolError } from '../../shared/services/schools';
import { publishApp } from './app-publish';
import { addStaff, removeStaff, staffToken } from './staff';
import { misOptions, misUsage, runMisCommand } from './mis-commands';
import { republishCommand } from './republish';
import { CliError, localTarget, stageTarget, type CliTarget } from './targets';

/**
 * `tracker <command>` for trust IT (contract section 2). Every command takes --json, exits
 * 0 on success and non-zero with a one-line reason on stderr otherwise.
 */
const usage = `usage: tracker <command> [--json] [--stage NAME]
  school add --id ID --name NAME --leader EMAIL [--leader EMAIL...] [--timezone Europe/London] [--dsl EMAIL]
  school rotate-secret --id ID
  school revoke-secret --id ID
  rollup --school ID --week YYYY-Www
  pupil export --school ID --pupil PUPIL
  staff add --email EMAIL --role staff|dsl|leader --school ID [--password P]
  staff add --email EMAIL --role trust [--password P]
  staff remove --email EMAIL
  staff token --email EMAIL --password P [--mfa-code CODE]
  app publish --stage NAME
  republish --school ID --since YYYY-MM-DD [--until YYYY-MM-DD]
${misUsage}`;

const options = {
  json: { type: 'boolean', default: false },
  stage: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  leader: { type: 'string', multiple: true },
  timezone: { type: 'string' },
  dsl: { type: 'string' },
  school: { type: 'string' },
  week: { type: 'string' },
  pupil: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  password: { type: 'string' },
  'mfa-code': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...misOptions,
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function need(values: Values, name: 'id' | 'name' | 'school' | 'week' | 'pupil' | 'since'): string {
  const value = values[name];
  if (!value) throw new CliError(`--${name} is required (tracker --help)`);
  return value;
}

async function run(command: string, values: Values, target: () => Promise<CliTarget>): Promise<{ json: unknown; text: string }> {
  switch (command) {
    case 'school add': {
      const where = await target();
      const { profile, webhookSecret } = await addSchool(
        { schoolId: need(values, 'id'), name: need(values, 'name'), leaders: values.leader ?? [], timezone: values.timezone, dslEmail: values.dsl },
        where,
      );
      const result = {
        schoolId: profile.schoolId,
        name: profile.name,
        timezone: profile.timezone,
        webhookUrl: where.webhookUrl(profile.schoolId),
        webhookSecret,
      };
      return {
        json: result,
        text: `Added ${profile.name} (${profile.schoolId}) on the ${where.description}.\nWebhook URL:    ${result.webhookUrl}\nWebhook secret: ${webhookSecret}\nThe secret is shown only now: give it to the school's MIS integration.`,
      };
    }
    case 'school rotate-secret': {
      const where = await target();
      const schoolId = need(values, 'id');
      const rotated = await rotateSecret(schoolId, where);
      return {
        json: { schoolId, webhookSecret: rotated.webhookSecret, previousSecretValidUntil: rotated.previousValidUntil },
        text: `New webhook secret for ${schoolId}: ${rotated.webhookSecret}\nThe old secret keeps working until ${rotated.previousValidUntil}.`,
      };
    }
    case 'school revoke-secret': {
      const schoolId = need(values, 'id');
      const { revoked } = await revokePreviousSecret(schoolId, await target());
      return {
        json: { schoolId, previousSecretRevoked: revoked },
        text: revoked
          ? `The previous webhook secret of ${schoolId} no longer signs (running functions drop it within a minute). Only the current secret works.`
          : `${schoolId} had no previous secret in force; only the current secret works.`,
      };
    }
    case 'rollup': {
      const schoolId = need(values, 'school');
      const week = need(values, 'week');
      if (!isIsoWeek(week)) throw new CliError(`--week must be an ISO week such as 2026-W47, not ${week}`);
      const where = await target();
      if (!(await where.schools.get(schoolId))) throw new CliError(`no school with id ${schoolId}`);
      // Exactly what the schedule's fan-out delivers to the rollup function.
      const figures = await where.invoke('rollup-school', {
        source: rollupSource,
        'detail-type': 'rollup.requested',
        detail: { schoolId, week, sendEmail: true },
      });
      return { json: figures, text: JSON.stringify(figures, null, 2) };
    }
    case 'pupil export': {
      const schoolId = need(values, 'school');
      const pupilId = need(values, 'pupil');
      const where = await target();
      const school = await where.schools.get(schoolId);
      if (!school) throw new CliError(`no school with id ${schoolId}`);
      const now = where.clock.now();
      const records = await readPupilRecords(where.table, schoolId, pupilId, dateInZone(now, school.timezone));
      const exported = pupilExport(schoolId, pupilId, records, now);
      return { json: exported, text: JSON.stringify(exported, null, 2) };
    }
    case 'staff add': {
      const user = await addStaff(values, await target());
      return { json: user, text: `Added ${user.email} as ${user.role}${user.schoolId ? ` of ${user.schoolId}` : ''} (user ${user.userId}).` };
    }
    case 'staff remove': {
      const removed = await removeStaff(values, await target());
      return { json: removed, text: `Disabled ${removed.email}: no new sign-in; issued access tokens stop within 15 minutes.` };
    }
    case 'staff token': {
      const token = await staffToken(values, await target());
      return { json: token, text: JSON.stringify(token) };
    }
    case 'app publish': {
      const published = await publishApp(await target());
      return { json: published, text: `Published ${published.files} files; the staff app is at ${published.url}` };
    }
    case 'republish': {
      const result = await republishCommand(await target(), { schoolId: need(values, 'school'), since: need(values, 'since'), until: values.until });
      const count = Object.values(result.events).reduce((sum, n) => sum + n, 0);
      return {
        json: result,
        text: `Announced ${count} stored events of ${result.schoolId} (${result.since} to ${result.until}, ${result.weeks} weeks) again.`,
      };
    }
    default: {
      const mis = await runMisCommand(command, values, target);
      if (mis) return mis;
      throw new CliError(`unknown command "${command}"\n${usage}`);
    }
  }
}

const parseCommandLine = (argv: string[]) => parseArgs({ args: argv, options, allowPositionals: true, strict: true });

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`tracker: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const command = positionals.join(' ');
  const target = () => (values.stage ? stageTarget(values.stage) : localTarget(Number(process.env.PORT ?? 3000)));
  try {
    const result = await run(command, values, target);
    process.stdout.write(`${values.json ? JSON.stringify(result.json, null, 2) : result.text}\n`);
    return 0;
  } catch (error) {
    const known = error instanceof CliError || error instanceof SchoolError;
    const message = (error as Error).message.split('\n')[0];
    process.stderr.write(`tracker: ${known ? message : `${(error as Error).name}: ${message}`}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
