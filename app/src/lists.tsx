import { useEffect, useState } from 'preact/hooks';
import { api, schoolPath, type Me } from './api';
import { Page } from './main';
import { href } from './route';

function useLoad<T>(me: Me, path: string) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState('');
  useEffect(() => {
    api<T>('GET', schoolPath(me, path)).then(setValue, (failure: Error) => setError(failure.message));
  }, [path]);
  return { value, error };
}

const pupilLinks = (pupilIds: string[] = []) =>
  pupilIds.map((pupilId, index) => (
    <span key={pupilId}>
      {index > 0 && ', '}
      <a href={href('pupils', pupilId)}>{pupilId}</a>
    </span>
  ));

export function Caseload({ me }: { me: Me }) {
  const { value, error } = useLoad<{
    interventions: { interventionId: string; title: string; kind: string; startDate: string; sessions: number; plannedSessions?: number; pupilIds: string[] }[];
  }>(me, '/caseload');
  return (
    <Page title="My caseload">
      <p class="muted">Interventions you started that have not ended (this term).</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {value && value.interventions.length === 0 && <p>No open interventions.</p>}
      <ul class="cards">
        {value?.interventions.map((item) => (
          <li key={item.interventionId}>
            <h2>{item.title}</h2>
            <p>
              {item.kind.replace(/_/g, ' ')} · started {item.startDate} · {item.sessions}
              {item.plannedSessions ? ` of ${item.plannedSessions}` : ''} sessions
            </p>
            <p>Pupils: {pupilLinks(item.pupilIds)}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function FollowUps({ me }: { me: Me }) {
  const { value, error } = useLoad<{ today: string; followUps: { eventId: string; followUpDate: string; date: string; format: string; pupilIds: string[] }[] }>(
    me,
    '/follow-ups',
  );
  return (
    <Page title="Follow-ups due">
      <p class="muted">Restorative follow-ups from two weeks ago to a week ahead.</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {value && value.followUps.length === 0 && <p>No follow-ups due.</p>}
      <ul class="cards">
        {value?.followUps.map((item) => (
          <li key={item.eventId}>
            <h2>
              Follow-up {item.followUpDate < value.today ? 'overdue since' : 'due'} {item.followUpDate}
            </h2>
            <p>
              {item.format.replace(/_/g, ' ')} on {item.date}. Pupils: {pupilLinks(item.pupilIds)}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}
