import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError, type Role } from './api';
import { JobPage } from './components/JobPage';
import { KeyForm } from './components/KeyForm';
import { NewJob } from './components/NewJob';
import { RecentJobs } from './components/RecentJobs';
import './styles.css';
import type { JobKind } from './types';

type Route = { page: 'home' } | { page: 'job'; kind: JobKind; id: string };

/** #/jobs/video/<id> and #/jobs/pipeline/<id> are a job; anything else is the home page. */
function routeOf(hash: string): Route {
  const m = /^#\/jobs\/(video|pipeline)\/([0-9a-f-]{36})$/.exec(hash);
  return m ? { page: 'job', kind: m[1] as JobKind, id: m[2] } : { page: 'home' };
}

function App() {
  const [api] = useState(() => new Api(Api.stored()));
  const [access, setAccess] = useState<'checking' | 'needs-key' | 'ok'>('checking');
  const [role, setRole] = useState<Role>('user');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [route, setRoute] = useState(() => routeOf(location.hash));

  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const tryKey = async (key: string | null) => {
    api.remember(key);
    try {
      setRole(await api.me());
      setKeyError(null);
      setAccess('ok');
    } catch (err) {
      api.remember(null);
      setAccess('needs-key');
      // No key yet is not an error to show; a wrong one is.
      setKeyError(err instanceof ApiError && (key || err.status !== 401) ? err.message : null);
    }
  };

  useEffect(() => {
    void tryKey(api.key);
  }, []);

  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          langflix <span>studio</span>
        </a>
        <nav aria-label="Main">
          <a href="#/">New job</a>
          <a href="/docs">API docs</a>
          {access === 'ok' && api.key && (
            <button
              type="button"
              class="link"
              onClick={() => {
                api.remember(null);
                setAccess('needs-key');
              }}
            >
              Forget key
            </button>
          )}
        </nav>
      </header>
      <main id="main">
        {access === 'checking' && <p role="status">Connecting to the service…</p>}
        {access === 'needs-key' && <KeyForm error={keyError} onKey={(k) => void tryKey(k)} />}
        {access === 'ok' && route.page === 'home' && (
          <>
            <NewJob api={api} />
            <RecentJobs api={api} />
          </>
        )}
        {access === 'ok' && route.page === 'job' && <JobPage key={route.id} api={api} role={role} kind={route.kind} id={route.id} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
