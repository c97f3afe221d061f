import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, loadConfig, setSession, type AppConfig, type Me } from './api';
import { Figures } from './figures';
import { Caseload, FollowUps } from './lists';
import { Chronology, PupilSearch } from './pupils';
import { RecordPage, recordableTypes } from './record-form';
import { href, useRoute } from './route';
import { SignIn } from './sign-in';
import { typeLabel } from './labels';

/**
 * The staff app (contract section 6). Each page has one h1 that takes focus when the page
 * changes, so screen reader and keyboard users land on the new content.
 */
export function Page(props: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Intervention tracker`;
    heading.current?.focus();
  }, [props.title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </>
  );
}

function Nav({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const links: [string, string][] =
    me.role === 'trust'
      ? [[href('figures'), 'Weekly figures']]
      : [
          [href('pupils'), 'Find a pupil'],
          [href('caseload'), 'My caseload'],
          [href('follow-ups'), 'Follow-ups due'],
          ...(me.role === 'staff' ? [] : ([[href('figures'), 'Weekly figures']] as [string, string][])),
        ];
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <span class="brand">Intervention tracker</span>
      <nav aria-label="Main">
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <a href={to}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <button type="button" class="link" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function Routes({ me }: { me: Me }) {
  const { path, query } = useRoute();
  const [page, id] = path;
  if (me.role === 'trust') return <Figures me={me} />;
  switch (page) {
    case 'pupils':
      return id ? <Chronology me={me} pupilId={id} /> : <PupilSearch me={me} initial={query.get('q') ?? ''} />;
    case 'record':
      return recordableTypes.includes(id as never) ? (
        <RecordPage me={me} type={id as (typeof recordableTypes)[number]} pupilId={query.get('pupil') ?? ''} />
      ) : (
        <NotFound />
      );
    case 'caseload':
      return <Caseload me={me} />;
    case 'follow-ups':
      return <FollowUps me={me} />;
    case 'figures':
      return me.role === 'staff' ? <NotFound /> : <Figures me={me} />;
    case undefined:
      return <PupilSearch me={me} initial="" />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>
        <a href={href('pupils')}>Find a pupil</a> or record:{' '}
        {recordableTypes.map((type) => (
          <a key={type} href={href('record', type)}>
            {typeLabel(type)}{' '}
          </a>
        ))}
      </p>
    </Page>
  );
}

function App() {
  const [config, setConfig] = useState<AppConfig>();
  const [me, setMe] = useState<Me>();
  const [notice, setNotice] = useState('');
  useEffect(() => {
    loadConfig().then(setConfig, () => setNotice('The app could not load its settings. Reload the page.'));
  }, []);
  const signOut = (message = '') => {
    setSession(undefined);
    setMe(undefined);
    setNotice(message);
  };
  const signedIn = async (token: string) => {
    setSession(token, () => signOut('Your session has ended. Sign in again.'));
    setMe(await api<Me>('GET', '/v1/me'));
    setNotice('');
  };
  return (
    <>
      {me && <Nav me={me} onSignOut={() => signOut('You have signed out.')} />}
      <main id="main">
        {notice && (
          <p role="status" class="notice">
            {notice}
          </p>
        )}
        {!config ? <p>Loading…</p> : me ? <Routes me={me} /> : <SignIn pool={config.cognito} onSignedIn={signedIn} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('root')!);
