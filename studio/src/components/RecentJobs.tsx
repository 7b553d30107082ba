import { ErrorLine } from './ErrorLine';
import { useEffect, useState } from 'preact/hooks';
import { Api, messageOf } from '../api';
import { statusWord } from '../format';
import type { Job } from '../types';

/** How often the list refreshes while it is shown. */
const REFRESH_MS = 5000;

export function jobTitle(job: Job): string {
  if (job.kind === 'pipeline') return 'Text analysis';
  return [job.options.showName, job.options.episodeName].filter(Boolean).join(' · ');
}

/** The newest video jobs and analyses, with their status and a link to each. */
export function RecentJobs({ api }: { api: Api }) {
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const [videos, pipelines] = await Promise.all([api.recent('video'), api.recent('pipeline')]);
        if (stopped) return;
        setJobs([...videos, ...pipelines].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20));
        setError(null);
      } catch (err) {
        if (!stopped) setError(messageOf(err));
      }
    };
    void load();
    // A hidden tab does not poll (the calls count against the key's rate limit).
    const timer = setInterval(() => document.hidden || void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <section class="card" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent jobs</h2>
      <ErrorLine message={error} />
      {jobs && !jobs.length && <p>No jobs yet: start one above.</p>}
      {jobs && jobs.length > 0 && (
        <table class="jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id}>
                <td>
                  <a href={`#/jobs/${j.kind}/${j.id}`}>{jobTitle(j) || j.id.slice(0, 8)}</a>
                </td>
                <td>
                  <span class={`badge ${j.status.toLowerCase()}`}>{statusWord(j.status)}</span>
                </td>
                <td>{j.progress}%</td>
                <td>
                  <time dateTime={j.createdAt}>{new Date(j.createdAt).toLocaleString()}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
