import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { StatusModule } from '../status/status.module';
import { StorageModule } from '../storage/storage';
import { CleanupController } from './cleanup.controller';
import { CleanupScheduler } from './cleanup.scheduler';
import { CleanupService } from './cleanup.service';

/** The sweep that keeps disk use bounded: scheduled in workers, on demand over HTTP. */
@Module({})
export class CleanupModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CleanupModule,
      imports: [StatusModule, StorageModule, ...(config.runsWorkers ? [ScheduleModule.forRoot()] : [])],
      controllers: config.runsApi ? [CleanupController] : [],
      providers: [CleanupService, ...(config.runsWorkers ? [CleanupScheduler] : [])],
    };
  }
}
