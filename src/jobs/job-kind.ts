// What a kind of job is, declared once as data: its steps (name, weight in the overall progress, the queue
// that runs them), from which everything else derives: the status record's stages, the queues and their
// workers, the watchdog's list of jobs, the metrics, the dashboard, the API docs. No Bull in here.
import { StageSpec, StatusRecord } from '../status/status.types';

export interface StepDeclaration {
  name: string;
  /** Its share of the job's overall progress (the weights of a kind need not add up to anything). */
  weight: number;
  /**
   * The Bull queue that runs it. Consecutive steps on one queue run in one Bull job, one after the other, in
   * one process; a step on another queue is a new job there, with the output of the step before as input.
   */
  queue: string;
  /**
   * Whether the step is part of the kind under this configuration (unset: always). A step switched off is
   * not there at all: not in the records, not queued, no queue of its own.
   */
  when?(env: JobEnv): boolean;
  /**
   * The job may stop after this step and wait for a person (a review, status REVIEW) until it is resumed:
   * the steps after it run as a new Bull job, whose input is the output of this one (so it must be JSON).
   */
  checkpoint?: boolean;
}

export interface JobKind {
  /** The kind of status record (and the id field in the logs: `${kind}Id`). */
  kind: string;
  steps: readonly StepDeclaration[];
  /** How the logs and messages call a step: "stage done" for the analysis, "step done: …" for a video. */
  stepWord: 'stage' | 'step';
  /** Retries of a step that failed for a reason worth another attempt, and the delay between attempts. */
  retries(env: JobEnv): { retries: number; delayMs: number };
  /** How many jobs of each of its queues one worker process runs at once. */
  concurrency(queue: string, env: JobEnv): number;
}

/** What the declarations read from the configuration (a slice of the validated environment). */
export type JobEnv = Readonly<Record<string, unknown>> & {
  STAGE_CONCURRENCY: number;
  STAGE_RETRIES: number;
  STAGE_RETRY_DELAY_MS: number;
  VIDEO_CONCURRENCY: number;
  VIDEO_RETRIES: number;
  VIDEO_RETRY_DELAY_MS: number;
};

/** The kind as this configuration runs it: the steps switched off by it left out. */
export const resolveKind = (kind: JobKind, env: JobEnv): JobKind => ({ ...kind, steps: kind.steps.filter((s) => !s.when || s.when(env)) });

/** A step's place in its kind, from 1 (the status record's stage number). */
export const stepNumber = (kind: JobKind, name: string): number => kind.steps.findIndex((s) => s.name === name) + 1;

/** The status record's stages of a kind. */
export const stagesOf = (kind: JobKind): StageSpec[] => kind.steps.map(({ name, weight }) => ({ name, weight }));

/** The queues of a kind, in the order of its steps, each once. */
export const queuesOf = (kind: JobKind): string[] => [...new Set(kind.steps.map((s) => s.queue))];

/** The steps one Bull job of a kind runs: from step `first` (1-based) while they stay on its queue. */
export function groupAt(kind: JobKind, first: number): { queue: string; steps: number[] } {
  const queue = kind.steps[first - 1].queue;
  const steps: number[] = [];
  for (let n = first; n <= kind.steps.length && kind.steps[n - 1].queue === queue && (n === first || !kind.steps[n - 2].checkpoint); n++) steps.push(n);
  return { queue, steps };
}

/** The first step of every Bull job a record of this kind goes through: where each job starts. */
export const groupStarts = (kind: JobKind): number[] =>
  kind.steps.flatMap((s, i) => (i === 0 || kind.steps[i - 1].queue !== s.queue || kind.steps[i - 1].checkpoint ? [i + 1] : []));

/**
 * The Bull job id of a record's job starting at step `first`: one per record and queue, so that adding it again
 * (a step run again after a crash) does nothing. A kind that runs in one job uses the record's id.
 */
export const jobIdOf = (kind: JobKind, recordId: string, first: number) => (groupStarts(kind).length === 1 ? recordId : `${recordId}:${first}`);

/** Where a record's jobs may sit: each group's queue and job id (the watchdog looks them up). */
export const jobsOfRecord = (kind: JobKind, recordId: string): [queue: string, jobId: string][] =>
  groupStarts(kind).map((first) => [kind.steps[first - 1].queue, jobIdOf(kind, recordId, first)]);

/** The folders and files a record holds while it is not final (the cleanup leaves them alone). */
export interface HeldFiles {
  /** Job folders under TEMP_ROOT, by name. */
  tempDirs: string[];
  /** Folders under OUTPUT_ROOT, relative to it. */
  outputDirs: string[];
}

/** What a kind may say of its records to the rest of the platform (the cleanup). */
export interface RecordFacts {
  held(record: StatusRecord): HeldFiles;
  /** Its output files, relative to OUTPUT_ROOT (to mark the record when the cleanup takes them). */
  outputs(record: StatusRecord): string[];
}
