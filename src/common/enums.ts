export enum JobStatus {
  Pending = 'PENDING',
  Started = 'STARTED',
  Progress = 'PROGRESS',
  Retry = 'RETRY',
  /** Stopped after a checkpoint step, waiting for a person (a review) to resume it; not final. */
  Review = 'REVIEW',
  Success = 'SUCCESS',
  Failure = 'FAILURE',
  Revoked = 'REVOKED',
}

export const FINAL_STATUSES: readonly JobStatus[] = [JobStatus.Success, JobStatus.Failure, JobStatus.Revoked];

export const isFinalStatus = (status: string): boolean => (FINAL_STATUSES as readonly string[]).includes(status);

export enum AppRole {
  Api = 'api',
  Worker = 'worker',
  All = 'all',
}

export enum InputFormat {
  Auto = 'auto',
  Plain = 'plain',
  Srt = 'srt',
  Vtt = 'vtt',
  /** Advanced SubStation Alpha (.ass / .ssa): the Dialogue lines of its [Events]. */
  Ass = 'ass',
}

export enum Level {
  Beginner = 'beginner',
  Intermediate = 'intermediate',
  Advanced = 'advanced',
  Mixed = 'mixed',
}

export type Difficulty = Exclude<Level, Level.Mixed>;
