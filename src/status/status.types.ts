import { JobStatus } from '../common/enums';

export const STAGE_NAMES = ['preprocess', 'features', 'inference', 'postprocess'] as const;
export type StageNumber = 1 | 2 | 3 | 4;

/** What a record tracks: the analysis pipeline, or a video job built on it. */
export type RecordKind = 'pipeline' | 'video' | 'slides';

/** A stage (or step) of a record; its weight is its share of the overall progress. */
export interface StageSpec {
  name: string;
  weight: number;
}

export interface StageState {
  stage: number;
  name: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface StatusRecord<TResult = unknown> {
  id: string;
  kind: RecordKind;
  status: JobStatus;
  currentStage: number | null;
  progress: number;
  /** Seconds left, estimated from the progress so far; null before any progress and once final. */
  etaSeconds: number | null;
  stages: StageState[];
  createdAt: string;
  updatedAt: string;
  error: string | null;
  /** How many times the record changed: the id of its latest event. */
  version: number;
  options: Record<string, unknown>;
  result: TResult | null;
}

export type PipelineRecord<TResult = unknown> = StatusRecord<TResult>;

/** A change to one stage; fields left undefined are not touched. */
export interface StagePatch {
  status: JobStatus;
  progress?: number;
  message?: string;
  attempt?: number;
  startedAt?: Date;
  finishedAt?: Date;
  error?: string;
}

/** What subscribers receive on every change. */
export interface StatusEvent {
  id: string;
  /** The record's version after the change: the event's id, from which a client resumes. */
  version: number;
  status: JobStatus;
  currentStage: number | null;
  progress: number;
  stage: number | null;
  stageStatus: JobStatus | null;
  stageProgress: number | null;
  message: string | null;
}
