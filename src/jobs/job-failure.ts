import { Logger } from '@nestjs/common';
import { isRedisUnavailable } from '../redis/redis-errors';
import { asJobError, ErrorCode, InputError, PipelineError } from '../common/errors';
import { QueueJob } from './job-queue';

/** Where a job's failure is recorded: its status record. */
export interface FailureRecorder {
  retrying(attempt: number, attempts: number, error: string): Promise<unknown>;
  failed(error: string): Promise<unknown>;
}

/** How long a job waits for Redis to come back before its attempt counts as failed. */
export const REDIS_WAIT_MS = 10 * 60_000;

/**
 * Runs a job's handler; when it fails only because Redis was out of reach (an outage, a restart, a
 * failover), waits until Redis answers and runs the handler again, in the same attempt. Handlers are
 * idempotent (stages write their outcome once, the next job has a fixed id), so a second run is safe, and an
 * outage of seconds, however slow the machine, never uses up a job's retries.
 */
export async function untilRedisAnswers<T>(handler: () => Promise<T>, waitForRedis: () => Promise<void>, logger: Logger): Promise<T> {
  for (;;) {
    try {
      return await handler();
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      logger.warn(`Redis is out of reach (${(err as Error).message}): the job runs again once it answers, in the same attempt`);
      await waitForRedis();
    }
  }
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
export async function settleJobError(job: QueueJob, raw: Error, record: FailureRecorder, logger: Logger, label: string): Promise<void> {
  const err = asJobError(raw);
  if (err instanceof PipelineError && err.code === ErrorCode.Cancelled) return;
  // Redis out of reach is not the job's failure: untilRedisAnswers runs it again, in the same attempt.
  if (isRedisUnavailable(err)) throw err;
  const attempt = job.attemptsMade + 1;
  const attempts = job.attempts;
  if (!isRetryable(err)) {
    logger.warn(`${label} failed for good: ${err.message}`);
    await record.failed(err.message);
    job.discard();
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
