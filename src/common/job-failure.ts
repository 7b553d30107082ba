import { Logger } from '@nestjs/common';
import { Job } from 'bull';
import { ErrorCode, InputError, PipelineError } from './errors';

/** Where a job's failure is recorded: its status record. */
export interface FailureRecorder {
  retrying(attempt: number, attempts: number, error: string): Promise<unknown>;
  failed(error: string): Promise<unknown>;
}

/** Whether another attempt could end differently: known, permanent errors are not worth one. */
export function isRetryable(err: Error): boolean {
  if (err instanceof InputError) return false;
  if (err instanceof PipelineError) return err.retryable;
  return true;
}

/**
 * The one policy for a failed job: a cancel ends quietly (its record already says REVOKED); a permanent error
 * fails at once and is discarded; anything else is retried while attempts remain. Rethrows so that Bull
 * records the failure and schedules the retry.
 */
export async function settleJobError(job: Job, err: Error, record: FailureRecorder, logger: Logger, label: string): Promise<void> {
  if (err instanceof PipelineError && err.code === ErrorCode.Cancelled) return;
  const attempt = job.attemptsMade + 1;
  const attempts = job.opts.attempts ?? 1;
  if (!isRetryable(err)) {
    await record.failed(err.message);
    await job.discard();
    throw err;
  }
  if (attempt < attempts) {
    logger.warn(`${label} attempt ${attempt}/${attempts} failed, retrying: ${err.message}`);
    await record.retrying(attempt, attempts, err.message);
  } else {
    logger.error(`${label} failed after ${attempt} attempt(s): ${err.message}`);
    await record.failed(attempts > 1 ? `${err.message} (after ${attempt} attempts)` : err.message);
  }
  throw err;
}
