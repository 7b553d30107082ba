import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppController } from './app.controller';
import { CleanupModule } from './cleanup/cleanup.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthController } from './health/health.controller';
import { JobKind, resolveKind } from './jobs/job-kind';
import { JobsModule, queueNames } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PIPELINE_JOB } from './pipeline/pipeline.job';
import { PipelineModule } from './pipeline/pipeline.module';
import { queuesController } from './queues/queues.controller';
import { REDIS_CLIENT, RedisModule } from './redis/redis.module';
import { RedisKeys } from './redis/redis-keys';
import { ApiKeyGuard } from './security/api-key.guard';
import { CallerController } from './security/caller.controller';
import { DashboardMiddleware } from './security/dashboard-auth';
import { throttlerOptions } from './security/throttler-options';
import { StatusModule } from './status/status.module';
import { StudioController } from './studio/studio.controller';
import { SLIDES_JOB, VIDEO_JOB } from './video/video.job';
import { VideoModule } from './video/video.module';

/** Every kind of job the app runs: their queues, workers, docs, metrics and dashboard derive from these. */
export const APP_JOBS: readonly JobKind[] = [PIPELINE_JOB, VIDEO_JOB, SLIDES_JOB];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const queues = queueNames(APP_JOBS.map((kind) => resolveKind(kind, config.env)));
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        RedisModule,
        StatusModule,
        JobsModule.forRoot(config, APP_JOBS),
        PipelineModule.register(config),
        VideoModule.register(config),
        CleanupModule.register(config),
        MetricsModule.register(config),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRootAsync({ inject: [AppConfig, REDIS_CLIENT, RedisKeys], useFactory: throttlerOptions }),
        ...(config.runsApi
          ? [
              BullBoardModule.forRoot({ route: '/admin/queues', adapter: ExpressAdapter, middleware: DashboardMiddleware }),
              BullBoardModule.forFeature(...queues.map((name) => ({ name, adapter: BullAdapter }))),
            ]
          : []),
      ],
      controllers: [
        ...(config.servesHttp ? [HealthController] : []),
        ...(config.runsApi ? [AppController, CallerController, StudioController, queuesController(queues)] : []),
      ],
      providers: config.servesHttp
        ? [
            { provide: APP_GUARD, useClass: ApiKeyGuard },
            { provide: APP_GUARD, useClass: ThrottlerGuard },
          ]
        : [],
    };
  }
}
