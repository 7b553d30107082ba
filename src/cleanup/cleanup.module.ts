import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { CleanupController } from './cleanup.controller';
import { CleanupScheduler } from './cleanup.scheduler';
import { CleanupService } from './cleanup.service';

/** The sweep that keeps disk use bounded: scheduled in workers, on demand over HTTP. */
@Global()
@Module({})
export class CleanupModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CleanupModule,
      imports: config.runsWorkers ? [ScheduleModule.forRoot()] : [],
      controllers: config.runsApi ? [CleanupController] : [],
      providers: [CleanupService, ...(config.runsWorkers ? [CleanupScheduler] : [])],
      exports: [CleanupService],
    };
  }
}
