import { isFinalStatus, JobStatus } from '../common/enums';
import { StatusRecord } from '../status/status.types';

/** What the watchdog found of a record's queued job. */
export type JobFinding = { kind: 'present' } | { kind: 'missing' } | { kind: 'failed'; reason: string };

export const LOST_JOB_MESSAGE = 'its queued job is gone (removed by hand, or lost in a Redis failover); start it again';

/**
 * Whether a record is old enough to be checked: unfinished, and unchanged for longer than `graceMs` (records
 * change at every step, so a quiet one is either waiting in a queue or has lost its job).
 */
export function worthChecking(record: Pick<StatusRecord, 'status' | 'updatedAt'>, now: number, graceMs: number): boolean {
  // A record waiting for review has no job by design: it waits for a person, then for its TTL.
  return !isFinalStatus(record.status) && record.status !== JobStatus.Review && now - Date.parse(record.updatedAt) > graceMs;
}

/**
 * The error to record for an unfinished record whose jobs are in `findings` (one per queue it may sit in), or
 * null while any of them is still queued, running or waiting for a retry.
 */
export function lostJobError(findings: JobFinding[]): string | null {
  if (findings.some((f) => f.kind === 'present')) return null;
  const failed = findings.find((f): f is Extract<JobFinding, { kind: 'failed' }> => f.kind === 'failed');
  return failed ? failed.reason || 'its job failed' : LOST_JOB_MESSAGE;
}
