import { Controller, Get } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DiskHealthIndicator, HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { QueueName } from '../common/enums';
import { queueByName } from '../common/queues';
import { AppConfig } from '../config/app-config';
import { StatusService } from '../status/status.service';

const REDIS_TIMEOUT_MS = 1000;
/** Readiness fails when the output disk is fuller than this. */
const DISK_FULL_RATIO = 0.95;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly disk: DiskHealthIndicator,
    private readonly status: StatusService,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 when Redis answers within a second, 503 otherwise' })
  checkLiveness() {
    return this.health.check([() => this.redis()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Redis, disk space under OUTPUT_ROOT, ffmpeg, and (where workers run) queues not paused' })
  checkReadiness() {
    return this.health.check([
      () => this.redis(),
      () => this.disk.checkStorage('disk', { path: resolve(this.config.env.OUTPUT_ROOT), thresholdPercent: DISK_FULL_RATIO }),
      () => this.ffmpeg(),
      ...(this.config.runsWorkers ? [() => this.queues()] : []),
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
      execFile('ffmpeg', ['-hide_banner', '-version'], { timeout: 5000 }, (err, stdout) =>
        done(err ? check.down({ message: `ffmpeg cannot run: ${err.message}` }) : check.up({ version: stdout.split('\n')[0] })),
      ),
    );
  }

  private async queues() {
    const check = this.indicator.check('queues');
    const paused: string[] = [];
    for (const name of Object.values(QueueName)) {
      if (await queueByName(this.moduleRef, name).isPaused()) paused.push(name);
    }
    return paused.length ? check.down({ paused }) : check.up();
  }
}
