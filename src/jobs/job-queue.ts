// The one place (with jobs.module.ts) that knows Bull: a queue and its jobs in the project's own types.
import type { Job, JobOptions, Queue } from 'bull';

/** What a tracked job carries: its record, where in its kind it starts, its input and options. */
export interface TrackedJobData {
  recordId: string;
  kind: string;
  /** The names of the kind's steps when the record was created (a worker configured otherwise refuses the job). */
  steps?: string[];
  /** The step (1-based) this job starts at; it runs the consecutive steps of its kind on its queue. */
  first: number;
  input: unknown;
  options: Record<string, unknown>;
  /** The HTTP request (or the job) that started the record: its logs carry it. */
  requestId?: string;
  /** When the record was created (ms), for its end-to-end latency. */
  submittedAt: number;
  /** Facts a kind's steps keep beside the input (the size of a text, paths of uploads). */
  meta?: Record<string, unknown>;
}

/** A job as the runner sees it. */
export interface QueueJob {
  readonly id: string;
  readonly queue: string;
  readonly data: TrackedJobData;
  /** Attempts already made before this one. */
  readonly attemptsMade: number;
  readonly attempts: number;
  /** No further attempt, whatever the error (a permanent one). */
  discard(): void;
}

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'paused' | 'stuck' | 'missing';

export type QueueCounts = Record<'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'paused', number>;

export interface AddOptions {
  jobId: string;
  attempts: number;
  backoffMs: number;
}

/** Failed jobs stay for inspection a week at most, and at most this many per queue. */
export const KEEP_FAILED = { age: 7 * 24 * 3600, count: 1000 };
export const KEEP_FAILED_MS = KEEP_FAILED.age * 1000;

const toQueueJob = (job: Job<TrackedJobData>, queue: string): QueueJob => ({
  id: String(job.id),
  queue,
  data: job.data,
  attemptsMade: job.attemptsMade,
  attempts: job.opts.attempts ?? 1,
  discard: () => void job.discard(),
});

/**
 * A Bull queue behind the project's types: add, remove, look up, count, pause, clean, process. Nothing else
 * of the app reaches a queue but through this.
 */
export class JobQueue {
  constructor(private readonly queue: Queue<TrackedJobData>) {}

  get name(): string {
    return this.queue.name;
  }

  /** Whether its connection to Redis is up: a command sent otherwise would wait in ioredis's offline queue. */
  get connected(): boolean {
    return this.queue.client.status === 'ready';
  }

  /** The Bull queue itself, for the queue dashboard only. */
  get bull(): Queue<TrackedJobData> {
    return this.queue;
  }

  async add(data: TrackedJobData, { jobId, attempts, backoffMs }: AddOptions): Promise<void> {
    const options: JobOptions = {
      jobId,
      attempts,
      backoff: { type: 'fixed', delay: backoffMs },
      // Results live in the status record; a finished job has nothing left to say.
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
    };
    await this.queue.add(data, options);
  }

  /** Removes a job unless it runs (a running job holds a lock: its worker is told to stop instead). */
  async removeIfWaiting(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job || (await job.isActive())) return false;
    await job.remove().catch(() => undefined);
    return true;
  }

  /** Where a job is; `missing` once it is gone (finished jobs are removed). */
  async state(jobId: string): Promise<{ state: JobState; failedReason?: string }> {
    const job = await this.queue.getJob(jobId);
    if (!job) return { state: 'missing' };
    const state = (await job.getState()) as JobState;
    return state === 'failed' ? { state, failedReason: job.failedReason ?? '' } : { state };
  }

  async counts(): Promise<QueueCounts> {
    // Bull leaves out `paused` on some versions.
    return { paused: 0, ...(await this.queue.getJobCounts()) };
  }

  isPaused(): Promise<boolean> {
    return this.queue.isPaused();
  }

  /** Pauses for every worker; `local`: only this process takes no more jobs (a draining worker). */
  pause(local = false): Promise<void> {
    return local ? this.queue.pause(true, true) : this.queue.pause();
  }

  resume(): Promise<void> {
    return this.queue.resume();
  }

  /** Retries every failed job, calling `before` with each one's data first; returns how many. */
  async retryFailed(before: (data: TrackedJobData) => Promise<void>): Promise<number> {
    const failed = await this.queue.getFailed();
    for (const job of failed) {
      await before(job.data);
      await job.retry();
    }
    return failed.length;
  }

  /** Removes failed jobs older than `ageMs`; returns how many. */
  async cleanFailed(ageMs: number): Promise<number> {
    return (await this.queue.clean(ageMs, 'failed')).length;
  }

  /** Resolves once the jobs this process runs have finished. */
  whenIdle(): Promise<void> {
    return this.queue.whenCurrentJobsFinished();
  }

  /** Starts taking jobs: `handler` settles each one (it throws to have Bull record a failure). */
  process(concurrency: number, handler: (job: QueueJob) => Promise<void>): void {
    // Bull's promise settles only when the queue closes; failures reach the job, not this call.
    void this.queue.process(concurrency, (job: Job<TrackedJobData>) => handler(toQueueJob(job, this.queue.name)));
  }

  /** Local events of the jobs this process runs (metrics, the stalled-job policy). */
  on(event: 'active' | 'completed', listener: (job: QueueJob, durationMs: number | null) => void): void;
  on(event: 'failed', listener: (job: QueueJob, error: Error, willRetry: boolean, durationMs: number | null) => void): void;
  on(event: 'active' | 'completed' | 'failed', listener: (...args: never[]) => void): void {
    const ran = (job: Job) => (job.processedOn ? (job.finishedOn ?? Date.now()) - job.processedOn : null);
    const call = listener as (...args: unknown[]) => void;
    if (event === 'failed') {
      this.queue.on('failed', (job: Job<TrackedJobData>, err: Error) => {
        const willRetry = job.attemptsMade < (job.opts.attempts ?? 1) && !(job as Job & { discarded?: boolean }).discarded;
        call(toQueueJob(job, this.name), err, willRetry, ran(job));
      });
    } else this.queue.on(event, (job: Job<TrackedJobData>) => call(toQueueJob(job, this.name), ran(job)));
  }
}
