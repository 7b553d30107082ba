import { Logger } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { AnalysisOptions } from '../analysis/analysis-engine';
import { JobStatus } from '../common/enums';
import { REDIS_WAIT_MS, settleJobError, untilRedisAnswers } from '../common/job-failure';
import { AppConfig } from '../config/app-config';
import { JobLogContext, LoggedJobData } from '../logging/job-log-context';
import { StatusService } from '../status/status.service';
import { STAGE_NAMES, StageNumber } from '../status/status.types';
import { PipelineControl } from './pipeline-control';
import { stageJobId, stageJobOptions } from './pipeline.constants';
import { StageRunner } from './stages/stage-runner';

export interface StageJobData extends LoggedJobData {
  pipelineId: string;
  options: AnalysisOptions;
  /** UTF-8 size of the submitted text: tells the runner whether the stage is worth a thread. */
  textBytes: number;
  /** When the pipeline was submitted (ms), for its end-to-end latency. */
  submittedAt: number;
  input: unknown;
}

/**
 * The Bull processor of one stage: marks the stage started, runs its logic on the stage threads, reports
 * progress, then hands the output to the next stage's queue (or stores the result after the last one).
 * Expected outcomes (a cancel, bad input) end in a status; only failures worth a retry are rethrown.
 */
export class StageProcessor {
  private readonly logger: Logger;
  private readonly name: string;

  constructor(
    readonly stage: StageNumber,
    readonly queue: Queue<StageJobData>,
    private readonly next: Queue<StageJobData> | null,
    private readonly runner: StageRunner,
    private readonly status: StatusService,
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly logs: JobLogContext,
  ) {
    this.name = STAGE_NAMES[stage - 1];
    this.logger = new Logger(`Stage${stage}:${this.name}`);
  }

  /** Starts consuming the queue; called by the module once the app is up (worker roles only). */
  start(concurrency: number): void {
    // Bull's promise settles only when the queue closes; failures reach the job, not this call.
    void this.queue.process(concurrency, (job) =>
      this.logs.run(job, { pipelineId: job.data.pipelineId, stage: this.name }, () =>
        untilRedisAnswers(
          () => this.handle(job),
          () => this.status.whenAvailable(REDIS_WAIT_MS),
          this.logger,
        ),
      ),
    );
    this.queue.on('failed', (job, err) => {
      // Bull fails a job by itself when it stalled too often (its workers kept dying): say so in the record.
      if (/stalled/i.test(err.message)) {
        this.markFailed(job, `worker lost the job too many times: ${err.message}`).catch((e: Error) =>
          this.logger.error(`pipeline ${job.data.pipelineId}: ${e.message}`),
        );
      }
    });
  }

  async handle(job: Job<StageJobData>): Promise<void> {
    const { pipelineId: id, options, input, textBytes, submittedAt, requestId } = job.data;
    const attempt = job.attemptsMade + 1;
    const startedAt = new Date();
    const started = await this.status.startStage(
      id,
      this.stage,
      {
        status: JobStatus.Started,
        progress: 0,
        attempt,
        startedAt,
        message: attempt > 1 ? `attempt ${attempt}` : 'started',
      },
      { overall: this.stage === 1 ? JobStatus.Started : JobStatus.Progress },
    );
    // Revoked, or the record expired: nothing is to be done for this pipeline any more.
    if (started !== 'OK') return void this.logger.log(`pipeline ${id} is ${started}: stage skipped`);
    this.logger.debug('stage started');

    const cancel = this.control.track(id);
    let output: unknown;
    try {
      output = await this.runner.run(
        this.stage,
        input,
        options,
        {
          cancel: cancel.signal,
          onProgress: (progress) => {
            this.status
              .updateStage(id, this.stage, { status: JobStatus.Progress, progress }, { overall: JobStatus.Progress })
              .then((outcome) => outcome === JobStatus.Revoked && cancel.abort())
              // A lost progress report is harmless: the next one, or the stage's end, says more.
              .catch((err: Error) => this.logger.warn(`pipeline ${id}: progress not recorded: ${err.message}`));
          },
        },
        textBytes,
      );
    } catch (err) {
      return this.onError(job, err as Error);
    } finally {
      this.control.untrack(id, cancel);
    }

    const finishedAt = new Date();
    this.logger.log({ durationMs: finishedAt.getTime() - startedAt.getTime() }, 'stage done');
    if (!this.next) {
      await this.status.updateStage(
        id,
        this.stage,
        { status: JobStatus.Success, progress: 100, finishedAt, message: 'done' },
        { overall: JobStatus.Success, result: output },
      );
      return;
    }
    const outcome = await this.status.updateStage(
      id,
      this.stage,
      { status: JobStatus.Success, progress: 100, finishedAt, message: 'done' },
      { overall: JobStatus.Progress },
    );
    if (outcome !== 'OK') return;
    const { STAGE_RETRIES, STAGE_RETRY_DELAY_MS } = this.config.env;
    await this.next.add(
      { pipelineId: id, requestId, options, textBytes, submittedAt, input: output },
      { jobId: stageJobId(id, (this.stage + 1) as StageNumber), ...stageJobOptions(STAGE_RETRIES, STAGE_RETRY_DELAY_MS) },
    );
  }

  private onError(job: Job<StageJobData>, err: Error): Promise<void> {
    const id = job.data.pipelineId;
    return settleJobError(
      job,
      err,
      {
        retrying: (attempt, attempts, error) =>
          this.status.updateStage(
            id,
            this.stage,
            { status: JobStatus.Retry, attempt, error, message: `attempt ${attempt} of ${attempts} failed; retrying`, finishedAt: new Date() },
            { overall: JobStatus.Retry },
          ),
        failed: (error) => this.markFailed(job, error),
      },
      this.logger,
      `pipeline ${id}`,
    );
  }

  private async markFailed(job: Job<StageJobData>, error: string): Promise<void> {
    await this.status.updateStage(
      job.data.pipelineId,
      this.stage,
      { status: JobStatus.Failure, error, message: 'failed', finishedAt: new Date() },
      { overall: JobStatus.Failure },
    );
  }
}
