import { describe, expect, it } from 'vitest';
import { JobStatus } from '../common/enums';
import { LOST_JOB_MESSAGE, lostJobError, worthChecking } from './lost-jobs';

describe('lost job watchdog rules', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('checks only unfinished records left unchanged beyond the grace period', () => {
    expect(worthChecking({ status: JobStatus.Progress, updatedAt: '2026-11-22T11:57:00Z' }, now, 120_000)).toBe(true);
    expect(worthChecking({ status: JobStatus.Pending, updatedAt: '2026-11-22T11:59:00Z' }, now, 120_000)).toBe(false);
    // Waiting for review has no job by design: a person resumes it, or its TTL ends it.
    for (const status of [JobStatus.Success, JobStatus.Failure, JobStatus.Revoked, JobStatus.Review]) {
      expect(worthChecking({ status, updatedAt: '2026-11-22T10:00:00Z' }, now, 120_000)).toBe(false);
    }
  });

  it('fails a record only when none of its jobs is still there', () => {
    expect(lostJobError([{ kind: 'missing' }, { kind: 'present' }])).toBeNull();
    expect(lostJobError([{ kind: 'missing' }, { kind: 'missing' }])).toBe(LOST_JOB_MESSAGE);
    expect(lostJobError([{ kind: 'missing' }, { kind: 'failed', reason: 'disk on fire' }])).toBe('disk on fire');
    expect(lostJobError([{ kind: 'failed', reason: '' }])).toBe('its job failed');
  });
});
