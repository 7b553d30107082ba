import { JobStatus } from '../common/enums';

export const STAGE_NAMES = ['preprocess', 'features', 'inference', 'postprocess'] as const;
export type StageNumber = 1 | 2 | 3 | 4;

export interface StageState {
  stage: StageNumber;
  name: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface PipelineRecord<TResult = unknown> {
  id: string;
  status: JobStatus;
  currentStage: StageNumber | null;
  progress: number;
  stages: StageState[];
  createdAt: string;
  updatedAt: string;
  error: string | null;
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
  status: JobStatus;
  currentStage: StageNumber | null;
  progress: number;
  stage: StageNumber | null;
  stageStatus: JobStatus | null;
  stageProgress: number | null;
  message: string | null;
}
