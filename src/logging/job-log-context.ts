import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/** Where a job runs, for its logs. */
export interface LoggedJob {
  id: string;
  queue: string;
  attemptsMade: number;
  data: { requestId?: string };
}

/**
 * Runs a job's handler in a logging context: every line logged while it runs (by any class, through Nest's
 * Logger) carries the request id from the job's data, the queue, the job id and the attempt.
 */
@Injectable()
export class JobLogContext {
  constructor(private readonly pino: PinoLogger) {}

  run<T>(job: LoggedJob, fields: Record<string, unknown>, handler: () => Promise<T>): Promise<T> {
    const bindings = { requestId: job.data.requestId, queue: job.queue, jobId: job.id, attempt: job.attemptsMade + 1, ...fields };
    return this.pino.runInContext(handler, { bindings });
  }
}
