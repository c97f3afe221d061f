import { marshall } from '@aws-sdk/util-dynamodb';
import { storedEventsOfWeek } from '../../shared/adapters/aws/stored-events';
import type { StoredItem } from '../../shared/ports';
import { republish, type RepublishResult } from '../../shared/services/republish';
import { CliError, type CliTarget } from './targets';

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Stored items as the stream mapping hands them to the publisher (NEW_IMAGE records). */
function asStreamEvent(items: StoredItem[]) {
  return {
    Records: items.map((item, index) => ({
      eventID: `republish-${index}`,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }), SequenceNumber: `republish-${index}`, StreamViewType: 'NEW_IMAGE' },
    })),
  };
}

/** `tracker republish --school ID --since DATE [--until DATE]`, with progress on stderr. */
export async function republishCommand(where: CliTarget, input: { schoolId: string; since: string; until?: string }): Promise<RepublishResult> {
  const until = input.until ?? where.clock.now().toISOString().slice(0, 10);
  if (!isDate(input.since) || !isDate(until)) throw new CliError('--since and --until must be dates such as 2026-11-23');
  if (input.since > until) throw new CliError(`--since ${input.since} is after --until ${until}`);
  if (!(await where.schools.get(input.schoolId))) throw new CliError(`no school with id ${input.schoolId}`);
  return republish(
    { schoolId: input.schoolId, since: input.since, until },
    {
      storedEventsOfWeek: (schoolId, week) => storedEventsOfWeek(where.table, schoolId, week),
      async announce(items) {
        const result = (await where.invoke('publish-stored-events', asStreamEvent(items))) as { batchItemFailures?: unknown[] };
        if (result?.batchItemFailures?.length)
          throw new CliError(`the publisher failed on ${result.batchItemFailures.length} of ${items.length} events; run the command again`);
      },
      progress: ({ week, weeks, of, events }) => process.stderr.write(`republish: ${week} (${weeks}/${of}), ${events} events so far\n`),
    },
  );
}
