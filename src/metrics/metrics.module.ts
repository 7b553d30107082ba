import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics at /metrics: jobs per queue, latency per kind, HTTP requests, the LLM, the process. Global:
 * any module may count something (like the logs).
 */
@Global()
@Module({})
export class MetricsModule implements NestModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: MetricsModule,
      controllers: config.servesHttp ? [MetricsController] : [],
      providers: [MetricsService, HttpMetricsMiddleware],
      exports: [MetricsService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
