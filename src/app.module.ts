import { BullModule } from '@nestjs/bull';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { TerminusModule } from '@nestjs/terminus';
import { QueueName } from './common/enums';
import { DashboardMiddleware } from './security/dashboard-auth';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { throttlerOptions } from './security/throttler-options';
import { DynamicModule, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './security/api-key.guard';
import { QueuesController } from './queues/queues.controller';
import { AppController } from './app.controller';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { LoggingModule } from './logging/logging.module';
import { HealthController } from './health/health.controller';
import { CleanupModule } from './cleanup/cleanup.module';
import { MediaModule } from './media/media.module';
import { MetricsModule } from './metrics/metrics.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { VideoModule } from './video/video.module';
import { REDIS_CLIENT, RedisModule } from './redis/redis.module';
import { RedisKeys } from './redis/redis-keys';
import { StatusModule } from './status/status.module';
import { WatchdogModule } from './watchdog/watchdog.module';
import { WorkersModule } from './workers/worker-registry';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const env = config.env;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        RedisModule,
        StatusModule,
        WorkersModule,
        BullModule.forRoot({
          ...(config.clusterNodes.length
            ? {
                // Bull's blocking and subscriber connections must not retry per request nor check readiness.
                createClient: (type: string) =>
                  new Redis.Cluster(config.clusterNodes, {
                    redisOptions: type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false },
                    enableReadyCheck: type === 'client',
                  }),
              }
            : config.sentinel
              ? { redis: { ...config.sentinel } }
              : { url: env.REDIS_URL }),
          prefix: new RedisKeys(config.keyPrefix).bull(),
          settings: {
            lockDuration: env.STAGE_LOCK_MS,
            lockRenewTime: Math.floor(env.STAGE_LOCK_MS / 2),
            stalledInterval: env.STAGE_STALLED_CHECK_MS,
            // A job whose worker died is run again; one that keeps killing workers fails after the third time.
            maxStalledCount: 2,
          },
        }),
        MediaModule,
        PipelineModule.register(config),
        VideoModule.register(config),
        CleanupModule.register(config),
        MetricsModule.register(config),
        ...(config.runsWorkers ? [WatchdogModule] : []),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRootAsync({ inject: [AppConfig, REDIS_CLIENT, RedisKeys], useFactory: throttlerOptions }),
        ...(config.runsApi
          ? [
              BullBoardModule.forRoot({ route: '/admin/queues', adapter: ExpressAdapter, middleware: DashboardMiddleware }),
              BullBoardModule.forFeature(...Object.values(QueueName).map((name) => ({ name, adapter: BullAdapter }))),
            ]
          : []),
      ],
      controllers: [...(config.servesHttp ? [HealthController] : []), ...(config.runsApi ? [AppController, QueuesController] : [])],
      providers: config.servesHttp
        ? [
            { provide: APP_GUARD, useClass: ApiKeyGuard },
            { provide: APP_GUARD, useClass: ThrottlerGuard },
          ]
        : [],
    };
  }
}
