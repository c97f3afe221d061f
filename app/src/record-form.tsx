import { useMemo, useRef, useState } from 'preact/hooks';
import * as z from 'zod';
import { catalogue, trackerEvent } from '../../events/catalogue';
import { staffRecordTypes } from '../../shared/domain/staff-access';
import { api, schoolPath, type Me } from './api';
import { ErrorSummary, TextField } from './field';
import { fieldLabel, typeLabel } from './labels';
import { Page } from './main';
import { href } from './route';
import { clean, fieldId, initialValue, SchemaField, type JsonSchema } from './schema-field';

/** What staff may record: the catalogue's types except the MIS-only ones (shared/domain/staff-access.ts). */
export const recordableTypes = staffRecordTypes;
type RecordType = (typeof recordableTypes)[number];

const newEventId = () => `app-${crypto.randomUUID()}`;

/** zod's JSON Schema of the type's `data`: the form is built from the catalogue itself. */
const schemaOf = (type: RecordType) => z.toJSONSchema(catalogue[type], { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const friendly = (message: string) =>
  /received undefined/.test(message) ? 'Enter a value' : /^Invalid option/.test(message) ? 'Choose one of the options' : message;

export function RecordPage({ me, type, pupilId: initialPupil }: { me: Me; type: RecordType; pupilId: string }) {
  const schema = useMemo(() => schemaOf(type), [type]);
  const hasPupil = type !== 'restorative.session.recorded';
  const [pupilId, setPupilId] = useState(initialPupil);
  const [data, setData] = useState(() => initialValue(schema, true));
  // Kept across failed submits: re-sending the same record is answered "duplicate", never stored twice.
  const [eventId, setEventId] = useState(newEventId);
  const [errors, setErrors] = useState(new Map<string, string>());
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const status = useRef<HTMLParagraphElement>(null);

  const fail = (issues: { path: string; message: string }[]) => {
    setErrors(new Map(issues.map((issue) => [issue.path, friendly(issue.message)])));
    setTimeout(() => summary.current?.focus());
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone('');
    const candidate = {
      eventId,
      type,
      occurredAt: new Date().toISOString(),
      ...(hasPupil || pupilId ? { pupilId: pupilId.trim() || undefined } : {}),
      data: clean(data) ?? {},
    };
    const parsed = trackerEvent.safeParse(candidate);
    if (!parsed.success) return fail(parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
    setBusy(true);
    try {
      const response = await api<{ results: { status: string; errors?: { path: string; message: string }[] }[] }>('POST', schoolPath(me, '/records'), {
        events: [parsed.data],
      });
      const [result] = response.results;
      if (result?.status === 'rejected') return fail(result.errors ?? []);
      setErrors(new Map());
      setDone(`${typeLabel(type)} saved${result?.status === 'duplicate' ? ' (it had been saved before)' : ''}.`);
      setData(initialValue(schema, true));
      setEventId(newEventId());
      setTimeout(() => status.current?.focus());
    } catch (failure) {
      fail([{ path: '', message: `Not saved: ${(failure as Error).message}. Your answers are kept; try again.` }]);
    } finally {
      setBusy(false);
    }
  };

  const listed = [...errors].map(([path, message]) => ({
    id: path ? fieldId(path) : 'record-form',
    message: `${
      path
        ? `${path
            .split('.')
            .filter((part) => part !== 'data' && !/^\d+$/.test(part))
            .map(fieldLabel)
            .join(' › ')}: `
        : ''
    }${message}`,
  }));
  return (
    <Page title={`Record: ${typeLabel(type).toLowerCase()}`}>
      <ErrorSummary errors={listed} summaryRef={summary} />
      {done && (
        <p class="success" role="status" tabIndex={-1} ref={status}>
          {done} {pupilId && <a href={href('pupils', pupilId)}>See the chronology</a>}
        </p>
      )}
      <form id="record-form" onSubmit={submit} noValidate>
        {hasPupil && <TextField id={fieldId('pupilId')} label="Pupil (MIS id)" value={pupilId} onInput={setPupilId} error={errors.get('pupilId')} />}
        <SchemaField name="details" path="data" schema={schema} required value={data} onChange={setData} errors={errors} />
        <button type="submit" disabled={busy}>
          Save {typeLabel(type).toLowerCase()}
        </button>
      </form>
    </Page>
  );
}
