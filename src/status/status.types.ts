import { JobStatus } from '../common/enums';

/** The kind of job a record tracks (a job kind's name): the status store knows nothing more of it. */
export type RecordKind = string;

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
