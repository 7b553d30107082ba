import { JobEnv, JobKind } from '../jobs/job-kind';

/**
 * A video job, declared once: its steps and their usual share of the work (the encodes dominate), on one
 * queue (they share the job's folder), VIDEO_CONCURRENCY at a time per worker: the analysis as one Bull job,
 * the rendering as the next (so that a review can come between them).
 */
export const VIDEO_JOB: JobKind = {
  kind: 'video',
  stepWord: 'step',
  steps: [
    { name: 'probe', weight: 1, queue: 'video.render' },
    // A job created with `review: true` waits here (REVIEW) until POST /api/v1/videos/{id}/render.
    { name: 'analysis', weight: 4, queue: 'video.render', checkpoint: true },
    { name: 'clips', weight: 50, queue: 'video.render' },
    { name: 'slides', weight: 25, queue: 'video.render' },
    { name: 'assembly', weight: 6, queue: 'video.render' },
    { name: 'long-form', weight: 6, queue: 'video.render' },
    { name: 'shorts', weight: 8, queue: 'video.render' },
  ],
  retries: (env: JobEnv) => ({ retries: env.VIDEO_RETRIES, delayMs: env.VIDEO_RETRY_DELAY_MS }),
  concurrency: (_queue: string, env: JobEnv) => env.VIDEO_CONCURRENCY,
};

/** Educational slides alone (PNG files), one step. */
export const SLIDES_JOB: JobKind = {
  kind: 'slides',
  stepWord: 'step',
  steps: [{ name: 'render', weight: 1, queue: 'video.slides' }],
  retries: (env: JobEnv) => ({ retries: env.VIDEO_RETRIES, delayMs: env.VIDEO_RETRY_DELAY_MS }),
  concurrency: (_queue: string, env: JobEnv) => env.VIDEO_CONCURRENCY,
};
