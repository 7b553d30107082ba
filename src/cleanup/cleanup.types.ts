export type SweptKind = 'temp' | 'intermediate' | 'final';

export interface Tally {
  files: number;
  bytes: number;
}

export interface CleanupReport {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  dryRun: boolean;
  /** What was (or, in a dry run, would be) removed, per kind. */
  removed: Record<SweptKind, Tally>;
  emptyDirsRemoved: number;
  /** Why things were kept, counted; `examples` shows a few paths per reason. */
  kept: Record<string, number>;
  keptExamples: { path: string; reason: string }[];
  errors: { path: string; message: string }[];
  errorCount: number;
  redis: { failedJobsRemoved: number; indexEntriesRemoved: number };
}

export interface SweepOptions {
  dryRun: boolean;
  /** Overrides every age limit (a manual sweep). */
  olderThanMs?: number;
}
