import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import Redis from 'ioredis';
import { JobStatus, QueueName } from '../common/enums';
import { queueByName } from '../common/queues';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { STAGE_QUEUES, STAGES, stageJobId } from '../pipeline/pipeline.constants';
import { StatusService } from '../status/status.service';
import { RecordKind } from '../status/status.types';
import { JobFinding, lostJobError, worthChecking } from './lost-jobs';

const KINDS: RecordKind[] = ['pipeline', 'video', 'slides'];

/**
 * Fails the records whose Bull job is gone, which would otherwise wait forever: a job deleted from the
 * dashboard, a job lost in a Redis failover, an enqueue that failed after the record was written. Every
 * worker process ticks every JOB_WATCHDOG_INTERVAL_MS, and the first to claim the turn in Redis checks for
 * all of them (were two to check at once, the FAILURE write refuses records that are already final).
 */
@Injectable()
export class LostJobWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LostJobWatchdog.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly status: StatusService,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.env.JOB_WATCHDOG_INTERVAL_MS;
    if (!every) return;
    this.timer = setInterval(() => {
      this.running ??= this.takeTurn(every)
        .then((mine) => (mine ? this.check() : []))
        .catch((err: Error) => this.logger.warn(`lost-job check failed: ${err.message}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Whether this process checks this time: the turn lasts most of an interval, so one pass per interval runs. */
  private async takeTurn(every: number): Promise<boolean> {
    return (await this.redis.set(this.keys.lock('watchdog'), process.pid, 'PX', Math.floor(every * 0.9), 'NX')) === 'OK';
  }

  /** One pass over the recent records of every kind; returns the ids it failed. */
  async check(now = Date.now()): Promise<string[]> {
    const failed: string[] = [];
    for (const kind of KINDS) {
      const records = await this.status.list(kind, this.config.env.RECENT_PIPELINES_LIMIT);
      for (const record of records.filter((r) => worthChecking(r, now, this.config.env.JOB_WATCHDOG_GRACE_MS))) {
        const error = lostJobError(await Promise.all(this.jobsOf(kind, record.id).map(([queue, jobId]) => this.find(queue, jobId))));
        // A step that ended while the jobs were looked up changed the record: its next job exists.
        if (!error || (await this.status.get(record.id))?.updatedAt !== record.updatedAt) continue;
        const outcome = await this.status.updateStage(
          record.id,
          record.currentStage ?? 1,
          { status: JobStatus.Failure, error, message: 'failed', finishedAt: new Date() },
          { overall: JobStatus.Failure },
        );
        if (outcome !== 'OK') continue;
        this.logger.warn({ [`${kind}Id`]: record.id }, `${kind} ${record.id} failed: ${error}`);
        failed.push(record.id);
      }
    }
    return failed;
  }

  /** Where the record's jobs live: a pipeline's four stage jobs, or the one job of a video or slides record. */
  private jobsOf(kind: RecordKind, id: string): [QueueName, string][] {
    if (kind === 'video') return [[QueueName.VideoRender, id]];
    if (kind === 'slides') return [[QueueName.SlidesRender, id]];
    return STAGES.map((stage) => [STAGE_QUEUES[stage], stageJobId(id, stage)]);
  }

  private async find(queue: QueueName, jobId: string): Promise<JobFinding> {
    const job = await queueByName(this.moduleRef, queue).getJob(jobId);
    if (!job) return { kind: 'missing' };
    const state = await job.getState();
    if (state === 'failed') return { kind: 'failed', reason: job.failedReason ?? '' };
    // Finished jobs are removed; one still listed as completed did not finish its record either.
    return state === 'completed' ? { kind: 'missing' } : { kind: 'present' };
  }
}
