import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connectSchool } from '../../shared/services/mis-connections';
import type { SyncResult } from '../../shared/services/mis-sync';
import { CliError, type CliTarget } from './targets';

/**
 * `tracker school connect` and `tracker sync` (contract section 9). The Wonde token is read
 * from a file (never an argument, so it is in no shell history or process list) and is never
 * printed.
 */
export const misUsage = `  school connect --id ID --wonde-school WONDE_SCHOOL_ID --token-file FILE
  sync --school ID [--full]
  wonde webhook-url [--rotate]`;

export const misOptions = {
  'wonde-school': { type: 'string' },
  'token-file': { type: 'string' },
  full: { type: 'boolean', default: false },
  rotate: { type: 'boolean', default: false },
} as const;

interface MisValues {
  id?: string;
  school?: string;
  'wonde-school'?: string;
  'token-file'?: string;
  full?: boolean;
  rotate?: boolean;
}

const required = (value: string | undefined, flag: string) => {
  if (!value) throw new CliError(`--${flag} is required (tracker --help)`);
  return value;
};

/** Runs an MIS command, or answers undefined when `command` is not one. */
export async function runMisCommand(
  command: string,
  values: MisValues,
  target: () => Promise<CliTarget>,
): Promise<{ json: unknown; text: string } | undefined> {
  switch (command) {
    case 'school connect': {
      const schoolId = required(values.id, 'id');
      const misSchoolId = required(values['wonde-school'], 'wonde-school');
      const file = required(values['token-file'], 'token-file');
      const token = await readFile(file, 'utf8').catch((error: Error) => {
        throw new CliError(`cannot read --token-file: ${error.message.split(':')[0]}`);
      });
      const where = await target();
      const connection = await connectSchool({ schoolId, misSchoolId, token }, { schools: where.schools, clock: where.clock, mis: where.mis });
      const json = { schoolId, provider: connection.provider, wondeSchoolId: misSchoolId, state: connection.state };
      return { json, text: `Connected ${schoolId} to Wonde school ${misSchoolId} on the ${where.description}; it is synced every 15 minutes.` };
    }
    case 'sync': {
      const schoolId = required(values.school, 'school');
      const where = await target();
      if (!(await where.schools.get(schoolId))) throw new CliError(`no school with id ${schoolId}`);
      const result = (await where.invoke('sync-mis', { schoolId, full: values.full ?? false })) as SyncResult;
      if (result.status === 'not-connected' || result.status === 'revoked') throw new CliError(`school ${schoolId} was not synced: ${result.reason}`);
      const { events, cursor, status, duplicates, problems, pages, reason } = result;
      const json = { schoolId, events, cursor: cursor ?? null, status, duplicates, problems: problems.length, pages, ...(reason ? { reason } : {}) };
      const counts =
        Object.entries(events)
          .map(([type, n]) => `${n} ${type}`)
          .join(', ') || 'no changes';
      return { json, text: `Synced ${schoolId} (${status}): ${counts}; ${problems.length} records not stored; cursor ${cursor ?? 'none yet'}.` };
    }
    case 'wonde webhook-url': {
      // The lifecycle webhook's shared key, created on first use; give the URL to Wonde.
      const where = await target();
      let key = values.rotate ? undefined : await where.mis.tokens.webhookKey();
      if (!key) {
        key = randomBytes(32).toString('hex');
        await where.mis.tokens.putWebhookKey(key);
      }
      const url = where.webhookUrl('_').replace(/\/v1\/schools\/_\/events$/, `/v1/mis/wonde/${key}`);
      return { json: { webhookUrl: url }, text: `Wonde lifecycle webhook URL (keep it private: the key in it is the only check):\n${url}` };
    }
    default:
      return undefined;
  }
}
