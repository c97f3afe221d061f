import { useEffect, useRef, useState } from 'preact/hooks';
import { entryKinds, type ChronologyEntry, type EntryKind, type ReportOutcome } from '../../shared/domain/chronology';
import { api, schoolPath, type Me } from './api';
import { TextField } from './field';
import { typeLabel } from './labels';
import { Page } from './main';
import { recordableTypes } from './record-form';
import { href } from './route';

interface PupilSummary {
  pupilId: string;
  firstName: string;
  lastName: string;
  yearGroup: string;
}

export function PupilSearch({ me, initial }: { me: Me; initial: string }) {
  const [q, setQ] = useState(initial);
  const [pupils, setPupils] = useState<PupilSummary[]>();
  const [error, setError] = useState('');
  const search = async (event?: Event) => {
    event?.preventDefault();
    try {
      setPupils((await api<{ pupils: PupilSummary[] }>('GET', schoolPath(me, `/pupils?q=${encodeURIComponent(q)}`))).pupils);
      setError('');
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  useEffect(() => {
    if (initial) void search();
  }, []);
  return (
    <Page title="Find a pupil">
      <form onSubmit={search} class="inline" aria-label="Search pupils">
        <TextField id="q" label="Name or MIS id" type="search" value={q} onInput={setQ} error={error || undefined} />
        <button type="submit">Search</button>
      </form>
      {pupils && (
        <section aria-live="polite">
          <h2>{pupils.length === 0 ? 'No pupils found' : `${pupils.length} pupil${pupils.length === 1 ? '' : 's'}`}</h2>
          <ul class="results">
            {pupils.map((pupil) => (
              <li key={pupil.pupilId}>
                <a href={href('pupils', pupil.pupilId)}>
                  {pupil.firstName} {pupil.lastName}
                </a>{' '}
                <span class="muted">
                  Year {pupil.yearGroup} · {pupil.pupilId}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

const recipientName = (recipient: unknown) =>
  (recipient as { relationship?: string } | undefined)?.relationship ?? String((recipient as { contactId?: string } | undefined)?.contactId);

/** The statutory report's outcomes, as a reader would say them. */
const reportOutcomes: Record<ReportOutcome, string> = {
  sent: 'Report sent',
  'not-sent': 'Report not sent to this contact',
  withheld: 'Report withheld from the parents (risk of significant harm)',
  'no-contact': 'Report could not be sent: no contact can receive it',
  'mail-refused': 'Report refused by the mail service',
  sending: 'Report being sent',
  'dsl-alerted-withheld': 'DSL alerted: report withheld',
  'dsl-alerted-no-contact': 'DSL alerted: report must be given another way',
};

/** One line of what an entry says; every value is rendered as text (never as HTML). */
function summary(entry: ChronologyEntry): string {
  switch (entry.kind) {
    case 'restricted':
      return 'A safeguarding record: only the DSL can see it.';
    case 'absence':
      return `${entry.date} ${entry.session}: code ${entry.code}`;
    case 'restrictive-report': {
      const who = recipientName(entry.recipient);
      const why = entry.outcome === 'not-sent' && entry.reason ? ` (${entry.reason})` : '';
      return `${reportOutcomes[entry.outcome]}${who === 'none' || who === 'dsl' ? '' : `: ${who}`}${why}`;
    }
    case 'notification':
      return `${entry.notice} to ${recipientName(entry.recipient)}: ${entry.status}${entry.reason ? ` (${entry.reason})` : ''}`;
    default: {
      const data = entry.data;
      const measure =
        typeof entry.totalDifficulties === 'number'
          ? `Total difficulties ${entry.totalDifficulties} (${String((entry.bands as { total?: string } | undefined)?.total ?? '').replace(/_/g, ' ')})`
          : undefined;
      const used = Array.isArray(data.types) ? data.types.join(', ').replace(/_/g, ' ') : undefined;
      const text = [data.title, data.category, data.format, data.outcome, used, data.location, measure, data.summaryForParents, data.notes].filter(
        (value) => typeof value === 'string',
      );
      return text.join(' · ');
    }
  }
}

export function Chronology({ me, pupilId }: { me: Me; pupilId: string }) {
  const [pupil, setPupil] = useState<{ firstName?: string; lastName?: string } | null>();
  const [entries, setEntries] = useState<ChronologyEntry[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [shown, setShown] = useState<Set<EntryKind>>(new Set([...entryKinds, 'restricted']));
  const [error, setError] = useState('');
  const firstNew = useRef<HTMLLIElement>(null);
  const load = async (after?: string) => {
    try {
      const page = await api<{ pupil: typeof pupil; entries: ChronologyEntry[]; nextCursor?: string }>(
        'GET',
        schoolPath(me, `/pupils/${encodeURIComponent(pupilId)}/chronology${after ? `?cursor=${after}` : ''}`),
      );
      setPupil(page.pupil);
      setEntries((old) => (after ? [...old, ...page.entries] : page.entries));
      setCursor(page.nextCursor);
      if (after) setTimeout(() => firstNew.current?.focus());
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [pupilId]);
  const name = pupil ? `${pupil.firstName ?? ''} ${pupil.lastName ?? ''}`.trim() : pupilId;
  const toggle = (kind: EntryKind) => setShown((old) => new Set(old.has(kind) ? [...old].filter((k) => k !== kind) : [...old, kind]));
  const visible = entries.filter((entry) => shown.has(entry.kind));
  const loadedBefore = entries.length;
  return (
    <Page title={`Chronology: ${name}`}>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="muted">Pupil {pupilId}. Newest first.</p>
      <nav aria-label="Record for this pupil" class="actions">
        {recordableTypes.map((type) => (
          <a key={type} class="button secondary" href={`${href('record', type)}?pupil=${encodeURIComponent(pupilId)}`}>
            Record {typeLabel(type).toLowerCase()}
          </a>
        ))}
      </nav>
      <fieldset class="filters">
        <legend>Show</legend>
        {[...entryKinds, 'restricted' as const].map((kind) => (
          <label key={kind} class="check">
            <input type="checkbox" checked={shown.has(kind)} onChange={() => toggle(kind)} /> {typeLabel(kind)}
          </label>
        ))}
      </fieldset>
      <h2 class="visually-hidden">Entries</h2>
      <p aria-live="polite" class="muted">
        {visible.length} of {entries.length} entries shown
      </p>
      <ol class="chronology">
        {visible.map((entry, index) => (
          <li
            key={`${entry.kind}-${'eventId' in entry ? entry.eventId : ''}-${entry.occurredAt}-${index}`}
            tabIndex={-1}
            ref={index === loadedBefore ? firstNew : undefined}
            class={`entry ${entry.kind.replace(/\./g, '-')}`}
          >
            <p class="entry-head">
              <strong>{typeLabel(entry.kind)}</strong>{' '}
              <time dateTime={entry.occurredAt}>{new Date(entry.occurredAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</time>
            </p>
            <p>{summary(entry)}</p>
          </li>
        ))}
      </ol>
      {cursor && (
        <button type="button" onClick={() => load(cursor)}>
          Load older entries
        </button>
      )}
    </Page>
  );
}
