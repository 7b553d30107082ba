import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { JobStatus } from '../common/enums';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { RedisLock } from '../redis/redis-lock';
import { StatusService } from '../status/status.service';
import { jobsOfRecord } from './job-kind';
import { JobQueues } from './job-queues';
import { JobFinding, lostJobError, worthChecking } from './lost-jobs';

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
    private readonly queues: JobQueues,
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
    return RedisLock.takeTurn(this.redis, this.keys.lock('watchdog'), Math.floor(every * 0.9));
  }

  /** One pass over the recent records of every kind; returns the ids it failed. */
  async check(now = Date.now()): Promise<string[]> {
    const failed: string[] = [];
    for (const kind of this.queues.kinds) {
      const records = await this.status.list(kind.kind, this.config.env.RECENT_PIPELINES_LIMIT);
      for (const record of records.filter((r) => worthChecking(r, now, this.config.env.JOB_WATCHDOG_GRACE_MS))) {
        const error = lostJobError(await Promise.all(jobsOfRecord(kind, record.id).map(([queue, jobId]) => this.find(queue, jobId))));
        // A step that ended while the jobs were looked up changed the record: its next job exists.
        if (!error || (await this.status.get(record.id))?.updatedAt !== record.updatedAt) continue;
        const outcome = await this.status.updateStage(
          record.id,
          record.currentStage ?? 1,
          { status: JobStatus.Failure, error, message: 'failed', finishedAt: new Date() },
          { overall: JobStatus.Failure },
        );
        if (outcome !== 'OK') continue;
        this.logger.warn({ [`${kind.kind}Id`]: record.id }, `${kind.kind} ${record.id} failed: ${error}`);
        failed.push(record.id);
      }
    }
    return failed;
  }

  private async find(queue: string, jobId: string): Promise<JobFinding> {
    const { state, failedReason } = await this.queues.get(queue).state(jobId);
    if (state === 'failed') return { kind: 'failed', reason: failedReason ?? '' };
    // Finished jobs are removed; one still listed as completed did not finish its record either.
    return state === 'missing' || state === 'completed' ? { kind: 'missing' } : { kind: 'present' };
  }
}
