import { Injectable, Logger } from '@nestjs/common';
import { isFinalStatus, JobStatus } from '../common/enums';
import { ErrorCode, InputError, PipelineError } from '../common/errors';
import { JobLogContext } from '../logging/job-log-context';
import { isRedisUnavailable } from '../redis/redis-errors';
import { StatusService, UpdateOutcome } from '../status/status.service';
import { CancelChannel } from './cancel-channel';
import { isRetryable, REDIS_WAIT_MS, settleJobError, untilRedisAnswers } from './job-failure';
import { JobHandlersRegistry, Settlement, StepContext } from './job-handlers';
import { groupAt, JobKind, jobIdOf } from './job-kind';
import { AppConfig } from '../config/app-config';
import { QueueJob } from './job-queue';
import { JobQueues } from './job-queues';

/** Progress reports of a step are written at most this often (and always when it ends). */
const PROGRESS_EVERY_MS = 200;

/**
 * Runs the Bull jobs of every kind the same way, and alone owns their status records' lifecycle: each step
 * is marked started (a failed record retried by hand is reopened first), its progress is reported, it is
 * marked done; then the next job of the kind is queued with the output, or the result is recorded. A cancel
 * aborts the running step; a failure is settled by one policy (job-failure.ts); a job that failed only
 * because Redis was out of reach runs again once Redis answers, in the same attempt.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly status: StatusService,
    private readonly cancels: CancelChannel,
    private readonly handlers: JobHandlersRegistry,
    private readonly queues: JobQueues,
    private readonly logs: JobLogContext,
    private readonly config: AppConfig,
  ) {}

  /** The handler Bull calls for a job of `queue`. */
  handle(job: QueueJob): Promise<void> {
    const kind = this.queues.kind(job.data.kind);
    const names = kind.steps.map((s) => s.name);
    const step = job.data.steps?.[job.data.first - 1] ?? names[job.data.first - 1];
    const fields = { [`${kind.kind}Id`]: job.data.recordId, ...(kind.stepWord === 'stage' ? { stage: step } : {}) };
    if (job.data.steps && job.data.steps.join() !== names.join()) {
      // Created by a process configured otherwise (LLM_PROVIDER differs): its record's stages are not ours.
      const problem = `the job was created for the ${kind.stepWord}s ${job.data.steps.join(', ')}, but this worker runs ${names.join(', ')}: give every process the same configuration`;
      return this.logs.run(job, fields, () => this.refuse(job, problem));
    }
    return this.logs.run(job, fields, () =>
      untilRedisAnswers(
        () => this.run(job, kind),
        () => this.status.whenAvailable(REDIS_WAIT_MS),
        this.logger,
      ),
    );
  }

  private async refuse(job: QueueJob, problem: string): Promise<void> {
    this.logger.error(problem);
    await this.status.updateStage(
      job.data.recordId,
      job.data.first,
      { status: JobStatus.Failure, error: problem, message: 'failed', finishedAt: new Date() },
      { overall: JobStatus.Failure },
    );
    job.discard();
    throw new InputError(problem);
  }

  /** Bull failed a job by itself (it stalled too often: its workers kept dying): the record says so. */
  async stalled(job: QueueJob, error: Error): Promise<void> {
    const record = await this.status.get(job.data.recordId);
    if (!record || isFinalStatus(record.status)) return;
    const stage = record.currentStage ?? job.data.first;
    await this.status.updateStage(
      record.id,
      stage,
      { status: JobStatus.Failure, error: `worker lost the job too many times: ${error.message}`, message: 'failed', finishedAt: new Date() },
      { overall: JobStatus.Failure },
    );
  }

  private async run(job: QueueJob, kind: JobKind): Promise<void> {
    const { recordId: id, first } = job.data;
    const handlers = this.handlers.get(kind.kind);
    const group = groupAt(kind, first);
    const attempt = job.attemptsMade + 1;
    const logger = new Logger(kind.stepWord === 'stage' ? `Stage${first}:${kind.steps[first - 1].name}` : `${kind.kind}:job`);
    const cancel = this.cancels.track(id);
    let at = first;
    const settle = (outcome: Settlement['outcome'], final: boolean) =>
      handlers
        .settle?.({ recordId: id, outcome, final, meta: job.data.meta ?? {} })
        .catch((err: Error) => logger.warn(`tidying up after the job: ${err.message}`));
    try {
      let input = job.data.input;
      for (const n of group.steps) {
        at = n;
        const started = await this.start(kind, job, n, group.steps[0]);
        // Revoked, or the record expired: nothing is to be done for it any more.
        if (started !== 'OK') return void logger.log(`${kind.kind} ${id} is ${started}: ${kind.stepWord} skipped`);
        const ctx = this.context(kind, job, n, cancel.signal, logger);
        if (n === first) await handlers.prepare?.(ctx, input);
        logger.debug({ [kind.stepWord]: ctx.stepName }, `${kind.stepWord} started`);
        const startedAt = Date.now();
        input = await handlers.steps[ctx.stepName](input, ctx);
        if (cancel.signal.aborted) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
        const message = ctx.message ?? 'done';
        logger.log({ [kind.stepWord]: ctx.stepName, durationMs: Date.now() - startedAt }, `${kind.stepWord} done${ctx.message ? `: ${ctx.message}` : ''}`);
        const last = n === kind.steps.length;
        if (last) {
          // The job's files are tidied before the outcome is recorded: whoever reads SUCCESS finds them so.
          await settle('success', true);
          await this.status.updateStage(
            id,
            n,
            { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message },
            { overall: JobStatus.Success, result: input },
          );
          return;
        }
        const outcome = await this.status.updateStage(
          id,
          n,
          { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message },
          { overall: JobStatus.Progress },
        );
        if (outcome !== 'OK') return;
      }
      const last = group.steps[group.steps.length - 1];
      const next = last + 1;
      const review = kind.steps[last - 1].checkpoint ? handlers.review?.(this.context(kind, job, last, cancel.signal, logger), input) : null;
      if (review) {
        // Stops here until a person resumes it (JobsService.resume), keeping what the next step needs.
        await settle('review', false);
        await this.status.awaitReview(id, last, review, { input, meta: job.data.meta, requestId: job.data.requestId }, this.config.env.REVIEW_TTL_SECONDS);
        return void logger.log(`${kind.kind} ${id} waits for review after ${kind.steps[last - 1].name}`);
      }
      const { retries, delayMs } = kind.retries(this.config.env);
      await this.queues
        .get(kind.steps[next - 1].queue)
        .add({ ...job.data, first: next, input }, { jobId: jobIdOf(kind, id, next), attempts: retries + 1, backoffMs: delayMs });
    } catch (err) {
      const e = cancel.signal.aborted ? new PipelineError(ErrorCode.Cancelled, 'cancelled') : (err as Error);
      if (isRedisUnavailable(e)) {
        await settle('redis-away', false);
        throw e; // run again once Redis answers (handle)
      }
      const cancelled = e instanceof PipelineError && e.code === ErrorCode.Cancelled;
      const final = cancelled || !isRetryable(e) || attempt >= job.attempts;
      await settle(cancelled ? 'cancelled' : final ? 'failure' : 'retry', final);
      await settleJobError(
        job,
        e,
        {
          retrying: (n, of, error) =>
            this.status.updateStage(
              id,
              at,
              { status: JobStatus.Retry, attempt: n, error, message: `attempt ${n} of ${of} failed; retrying`, finishedAt: new Date() },
              { overall: JobStatus.Retry },
            ),
          failed: (error) =>
            this.status.updateStage(id, at, { status: JobStatus.Failure, error, message: 'failed', finishedAt: new Date() }, { overall: JobStatus.Failure }),
        },
        logger,
        `${kind.kind} ${id}`,
      );
    } finally {
      this.cancels.untrack(id, cancel);
    }
  }

  /**
   * Marks a step started. A failed job retried by hand (the dashboard's Retry) finds its record failed at a
   * step of this job: the record is reopened first, and the step starts.
   */
  private async start(kind: JobKind, job: QueueJob, n: number, groupFirst: number): Promise<UpdateOutcome> {
    const id = job.data.recordId;
    const attempt = job.attemptsMade + 1;
    const patch = { status: JobStatus.Started, progress: 0, attempt, startedAt: new Date(), message: attempt > 1 ? `attempt ${attempt}` : 'started' };
    const extra = { overall: n === 1 ? JobStatus.Started : JobStatus.Progress };
    const outcome = await this.status.updateStage(id, n, patch, extra);
    if (outcome !== JobStatus.Failure || n !== groupFirst) return outcome;
    const failedAt = (await this.status.get(id))?.currentStage ?? n;
    if (!groupAt(kind, groupFirst).steps.includes(failedAt) || !(await this.status.reopen(id, failedAt))) return outcome;
    this.logger.log(`${kind.kind} ${id} failed at ${kind.stepWord} ${failedAt} and was retried by hand: reopened`);
    return this.status.updateStage(id, n, patch, extra);
  }

  private context(kind: JobKind, job: QueueJob, n: number, signal: AbortSignal, logger: Logger): StepContext {
    const id = job.data.recordId;
    let reported = -1;
    let lastWrite = 0;
    const { status, cancels } = this;
    return {
      recordId: id,
      kind,
      step: n,
      stepName: kind.steps[n - 1].name,
      attempt: job.attemptsMade + 1,
      attempts: job.attempts,
      options: job.data.options,
      meta: job.data.meta ?? {},
      requestId: job.data.requestId,
      signal,
      logger,
      progress(fraction: number) {
        const progress = Math.max(0, Math.min(99, Math.floor(fraction * 99)));
        const now = Date.now();
        if (progress <= reported || now - lastWrite < PROGRESS_EVERY_MS) return;
        reported = progress;
        lastWrite = now;
        status
          .updateStage(id, n, { status: JobStatus.Progress, progress }, { overall: JobStatus.Progress })
          .then((outcome) => outcome === JobStatus.Revoked && cancels.abortLocal(id))
          // A lost progress report is harmless: the next one, or the step's end, says more.
          .catch((err: Error) => logger.warn(`progress not recorded: ${err.message}`));
      },
      setFields: (fields) => this.status.setFields(id, fields),
    };
  }
}
