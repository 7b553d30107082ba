import { Module } from '@nestjs/common';
import { LostJobWatchdog } from './lost-job.watchdog';

/** Worker processes only: fails the records whose queued job has disappeared. */
@Module({ providers: [LostJobWatchdog] })
export class WatchdogModule {}
