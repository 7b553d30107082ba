import { ErrorLine } from './ErrorLine';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, messageOf, type Role } from '../api';
import { eta, statusWord } from '../format';
import { applyEvent } from '../job-state';
import { FINAL, type Job, type JobKind } from '../types';
import { ExpressionList } from './ExpressionList';
import { jobTitle } from './RecentJobs';
import { Results } from './Results';
import { ReviewPanel } from './ReviewPanel';

/** A full read of the record at most this often while events arrive (for ETA, messages and errors). */
const REFRESH_MS = 1500;

/** One job: its steps live, then its review, its results or its error. */
export function JobPage({ api, role, kind, id }: { api: Api; role: Role; kind: JobKind; id: string }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [filesGone, setFilesGone] = useState(false);
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const stop = useRef(new AbortController());

  const read = () => {
    if (stop.current.signal.aborted) return;
    api.job(kind, id).then(
      (j) => {
        setJob((old) => (old && old.version > j.version ? old : j));
        setError(null);
      },
      (err: unknown) => !stop.current.signal.aborted && setError(messageOf(err)),
    );
  };

  // A new page for a screen reader and the keyboard: focus on its title.
  const loaded = job !== null;
  useEffect(() => heading.current?.focus(), [loaded]);

  useEffect(() => {
    stop.current = new AbortController();
    const { signal } = stop.current;
    read();
    api
      .follow(
        kind,
        id,
        (e) => {
          setJob((old) => (old ? applyEvent(old, e) : old));
          if (!refresh.current) {
            refresh.current = setTimeout(() => {
              refresh.current = null;
              read();
            }, REFRESH_MS);
          }
        },
        signal,
      )
      .then(read, (err: unknown) => !signal.aborted && setError(messageOf(err)));
    return () => {
      stop.current.abort();
      if (refresh.current) clearTimeout(refresh.current);
    };
  }, [kind, id]);

  if (error && !job)
    return (
      <section class="card">
        <h1>Job {id.slice(0, 8)}</h1>
        <ErrorLine message={error} />
        <a href="#/">Back to new job</a>
      </section>
    );
  if (!job) return <p role="status">Loading the job…</p>;

  const final = FINAL.includes(job.status);
  const act = (purge: boolean) => {
    const what = purge ? 'Delete this job’s videos and files? This cannot be undone.' : 'Cancel this job? Its work so far is thrown away.';
    if (!confirm(what)) return;
    setNotice(null);
    api.cancel(kind, id, purge).then(
      (j) => {
        setJob(j);
        if (purge) setFilesGone(true);
        setNotice(purge ? 'The files were deleted.' : 'The job was cancelled.');
      },
      (err: unknown) => setNotice(messageOf(err)),
    );
  };

  return (
    <>
      <section class="card" aria-labelledby="job-title">
        <div class="job-head">
          <h1 id="job-title" ref={heading} tabIndex={-1}>
            {jobTitle(job) || 'Job'}
          </h1>
          <span role="status" class={`badge ${job.status.toLowerCase()}`} data-status={job.status}>
            {statusWord(job.status)}
          </span>
        </div>
        <p class="muted">
          {kind === 'video' ? 'Lessons from an episode' : 'Expressions from subtitles'} · job <code>{id}</code>
        </p>
        <div class="overall">
          <label for="overall-progress">Overall {job.progress}%</label>
          <progress id="overall-progress" max={100} value={job.progress} />
          <span>{!final && job.status !== 'REVIEW' ? eta(job.etaSeconds) : ''}</span>
        </div>
        <ol class="steps" aria-label="Steps">
          {job.stages.map((s) => (
            <li key={s.stage} class={`step ${s.status.toLowerCase()}`} data-step={s.name}>
              <div class="step-head">
                <span class="step-name">{s.name}</span>
                <span class="step-status">
                  {statusWord(s.status)}
                  {s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}
                </span>
              </div>
              <progress max={100} value={s.progress} aria-label={`${s.name}: ${s.progress}%`} />
              {s.error ? <p class="error">{s.error}</p> : s.message && <p class="step-message">{s.message}</p>}
            </li>
          ))}
        </ol>
        <ErrorLine message={error} />
        {job.status === 'FAILURE' && (
          <div class="error" role="alert">
            <strong>The job failed.</strong> {job.error}
          </div>
        )}
        {job.status === 'REVOKED' && <p role="status">This job was cancelled.</p>}
        <div class="actions">
          {!final && (
            <button type="button" onClick={() => act(false)}>
              Cancel job
            </button>
          )}
          {final && kind === 'video' && !filesGone && (role === 'admin' || role === 'open') && (
            <button type="button" class="danger" onClick={() => act(true)}>
              Delete files
            </button>
          )}
          <a href="#/">New job</a>
        </div>
        {notice && (
          <p role="status" class="notice">
            {notice}
          </p>
        )}
      </section>
      {kind === 'video' && job.status === 'REVIEW' && <ReviewPanel api={api} job={job} onRendering={(j) => setJob(j)} />}
      {kind === 'video' && job.status === 'SUCCESS' && !filesGone && <Results api={api} job={job} />}
      {kind === 'pipeline' && job.status === 'SUCCESS' && job.result && (
        <section class="card" aria-labelledby="found-title">
          <h2 id="found-title">{job.result.expressions.length} expressions found</h2>
          <ExpressionList expressions={job.result.expressions} />
        </section>
      )}
    </>
  );
}
