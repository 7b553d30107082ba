import { JobEnv, JobKind } from '../jobs/job-kind';
import { StatusRecord } from '../status/status.types';

/** A pipeline's status record. */
export type PipelineRecord<TResult = unknown> = StatusRecord<TResult>;

/**
 * The analysis pipeline, declared once: its stages in order, each on its own queue (stage threads per
 * worker, their own concurrency: STAGE_CONCURRENCY, or STAGE_CONCURRENCY_<NAME>). Everything that lists the
 * stages (records, queues, workers, docs, metrics, the watchdog) reads them from here.
 */
export const PIPELINE_JOB: JobKind = {
  kind: 'pipeline',
  stepWord: 'stage',
  steps: [
    { name: 'preprocess', weight: 1, queue: 'pipeline.preprocess' },
    { name: 'features', weight: 1, queue: 'pipeline.features' },
    { name: 'inference', weight: 1, queue: 'pipeline.inference' },
    { name: 'postprocess', weight: 1, queue: 'pipeline.postprocess' },
  ],
  retries: (env: JobEnv) => ({ retries: env.STAGE_RETRIES, delayMs: env.STAGE_RETRY_DELAY_MS }),
  concurrency: (queue: string, env: JobEnv) => {
    const own = Number(env[`STAGE_CONCURRENCY_${queue.replace(/^pipeline\./, '').toUpperCase()}`]);
    return Number.isInteger(own) && own > 0 ? own : env.STAGE_CONCURRENCY;
  },
};

export const PIPELINE_STAGE_NAMES = PIPELINE_JOB.steps.map((s) => s.name);
