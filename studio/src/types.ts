// The shapes the studio reads from the API (see /docs for the full schemas).

export type JobKind = 'video' | 'pipeline';

export type Status = 'PENDING' | 'STARTED' | 'PROGRESS' | 'RETRY' | 'REVIEW' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

export const FINAL: readonly Status[] = ['SUCCESS', 'FAILURE', 'REVOKED'];

export interface Stage {
  stage: number;
  name: string;
  status: Status;
  progress: number;
  message: string | null;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface Translation {
  expression: string;
  definition: string;
  example: string;
}

export interface ExpressionUse {
  example: string;
  matched: string;
  startMs: number | null;
  endMs: number | null;
  definition: string;
}

export interface Expression {
  expression: string;
  definition: string;
  example: string;
  matched: string;
  startMs: number | null;
  endMs: number | null;
  difficulty: string;
  category: string;
  score: number;
  occurrences: number;
  translations?: Record<string, Translation>;
  otherUses?: ExpressionUse[];
}

export interface OutputFile {
  path: string;
  kind: string;
  size: number;
  durationSec: number | null;
  url?: string;
  expiresAt?: string;
}

export interface Job {
  id: string;
  kind: JobKind | 'slides';
  status: Status;
  currentStage: number | null;
  progress: number;
  etaSeconds: number | null;
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
  error: string | null;
  version: number;
  options: {
    showName?: string;
    episodeName?: string;
    maxExpressions: number;
    level: string;
    targetLanguages?: string[];
    review?: boolean;
  };
  result: { expressions: Expression[]; stats?: Record<string, unknown>; files?: OutputFile[] } | null;
}

/** One message of a job's live stream. */
export interface StatusEvent {
  id: string;
  version: number;
  status: Status;
  currentStage: number | null;
  progress: number;
  stage: number | null;
  stageStatus: Status | null;
  stageProgress: number | null;
  message: string | null;
}
