import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '../config/app-config';
import { CleanupService } from './cleanup.service';

export const CLEANUP_JOB = 'cleanup';

/** Registers the nightly sweep at CLEANUP_CRON (worker processes only). The lock makes it one sweep across all workers. */
@Injectable()
export class CleanupScheduler implements OnModuleInit {
  private readonly logger = new Logger(CleanupScheduler.name);

  constructor(
    private readonly cleanup: CleanupService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.env.CLEANUP_ENABLED !== 'true') return void this.logger.log('scheduled cleanup disabled (CLEANUP_ENABLED=false)');
    const job = CronJob.from({ cronTime: this.config.env.CLEANUP_CRON, onTick: () => this.onTick(), start: true });
    this.registry.addCronJob(CLEANUP_JOB, job);
    this.logger.log(`cleanup scheduled at "${this.config.env.CLEANUP_CRON}"`);
  }

  async onTick(): Promise<void> {
    const report = await this.cleanup.run({ dryRun: false }).catch((err: Error) => void this.logger.error(`cleanup failed: ${err.message}`));
    if (report === null) this.logger.log('cleanup skipped: another process is sweeping');
  }
}
