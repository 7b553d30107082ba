import { JobEnv, JobKind } from '../jobs/job-kind';
import { StatusRecord } from '../status/status.types';

/** A pipeline's status record. */
export type PipelineRecord<TResult = unknown> = StatusRecord<TResult>;

/**
 * The analysis pipeline, declared once: its stages in order, each on its own queue (stage threads per
 * worker, their own concurrency: STAGE_CONCURRENCY, or STAGE_CONCURRENCY_<NAME>). The enrich stage is there
 * only with an LLM provider (LLM_PROVIDER). Everything that lists the
 * stages (records, queues, workers, docs, metrics, the watchdog) reads them from here.
 */
export const PIPELINE_JOB: JobKind = {
  kind: 'pipeline',
  stepWord: 'stage',
  steps: [
    { name: 'preprocess', weight: 1, queue: 'pipeline.preprocess' },
    { name: 'features', weight: 1, queue: 'pipeline.features' },
    { name: 'inference', weight: 1, queue: 'pipeline.inference' },
    // Waits on the network, not the CPU: a queue (and concurrency, STAGE_CONCURRENCY_ENRICH) of its own.
    { name: 'enrich', weight: 1, queue: 'pipeline.enrich', when: (env: JobEnv) => env.LLM_PROVIDER !== 'none' },
    { name: 'postprocess', weight: 1, queue: 'pipeline.postprocess' },
  ],
  retries: (env: JobEnv) => ({ retries: env.STAGE_RETRIES, delayMs: env.STAGE_RETRY_DELAY_MS }),
  concurrency: (queue: string, env: JobEnv) => {
    const own = Number(env[`STAGE_CONCURRENCY_${queue.replace(/^pipeline\./, '').toUpperCase()}`]);
    return Number.isInteger(own) && own > 0 ? own : env.STAGE_CONCURRENCY;
  },
};

export const PIPELINE_STAGE_NAMES = PIPELINE_JOB.steps.map((s) => s.name);

/** The stages for the API docs: "1: preprocess, …", a stage that depends on the configuration said so. */
export const PIPELINE_STAGE_LIST = PIPELINE_JOB.steps
  .map((s, i) => `${i + 1}: ${s.name}${s.when ? ' (only with an LLM provider; without one the next stages move up)' : ''}`)
  .join(', ');
