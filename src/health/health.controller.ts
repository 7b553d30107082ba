import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DiskHealthIndicator, HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { JobQueues } from '../jobs/job-queues';
import { WorkerRegistry } from '../jobs/worker-registry';
import { withinDeadline } from '../redis/redis-errors';
import { StatusService } from '../status/status.service';

const REDIS_TIMEOUT_MS = 1000;
/** Readiness fails when the output disk is fuller than this. */
const DISK_FULL_RATIO = 0.95;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly disk: DiskHealthIndicator,
    private readonly status: StatusService,
    private readonly config: AppConfig,
    private readonly jobQueues: JobQueues,
    private readonly registry: WorkerRegistry,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 when Redis answers within a second, 503 otherwise' })
  checkLiveness() {
    return this.health.check([() => this.redis()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: Redis, disk space under OUTPUT_ROOT, ffmpeg; where workers run, queues not paused; on an API, a live worker for every queue',
  })
  checkReadiness() {
    return this.health.check([
      () => this.redis(),
      () => this.disk.checkStorage('disk', { path: resolve(this.config.env.OUTPUT_ROOT), thresholdPercent: DISK_FULL_RATIO }),
      () => this.ffmpeg(),
      ...(this.config.runsWorkers ? [() => this.queues()] : []),
      ...(this.config.runsApi ? [() => this.workers()] : []),
    ]);
  }

  private async redis() {
    const check = this.indicator.check('redis');
    try {
      await withTimeout(this.status.ping(), REDIS_TIMEOUT_MS, 'redis');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  private ffmpeg() {
    const check = this.indicator.check('ffmpeg');
    return new Promise<HealthIndicatorResult>((done) =>
      execFile('ffmpeg', ['-hide_banner', '-version'], { timeout: 5000 }, (err) => {
        if (err) this.logger.error(`ffmpeg cannot run: ${err.message}`);
        // Up or down only: the version would tell anyone which ffmpeg to look up vulnerabilities for.
        done(err ? check.down({ message: 'ffmpeg cannot run: see the server log' }) : check.up());
      }),
    );
  }

  /** An API is of no use while no worker takes the jobs it queues: each queue needs a live worker. */
  private async workers() {
    const check = this.indicator.check('workers');
    try {
      const unserved = await withinDeadline(this.registry.unserved(this.jobQueues.names), REDIS_TIMEOUT_MS, 'the worker registry');
      return unserved.length ? check.down({ message: `no worker is running for ${unserved.join(', ')}`, unserved }) : check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  private async queues() {
    const check = this.indicator.check('queues');
    const paused: string[] = [];
    try {
      for (const name of this.jobQueues.names) {
        if (await withinDeadline(this.jobQueues.reachable(name).isPaused(), REDIS_TIMEOUT_MS, name)) paused.push(name);
      }
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
    return paused.length ? check.down({ paused }) : check.up();
  }
}
