import { Injectable } from '@nestjs/common';
import { Job } from 'bull';
import { PinoLogger } from 'nestjs-pino';

/** What every job carries for its logs: the id of the HTTP request that started it (or of the job that did). */
export interface LoggedJobData {
  requestId?: string;
}

/**
 * Runs a Bull job's handler in a logging context: every line logged while it runs (by any class, through
 * Nest's Logger) carries the request id from the job's data, the queue, the job id and the attempt.
 */
@Injectable()
export class JobLogContext {
  constructor(private readonly pino: PinoLogger) {}

  run<T>(job: Job<LoggedJobData>, fields: Record<string, unknown>, handler: () => Promise<T>): Promise<T> {
    const bindings = { requestId: job.data.requestId, queue: job.queue.name, jobId: job.id, attempt: job.attemptsMade + 1, ...fields };
    return this.pino.runInContext(handler, { bindings });
  }
}
