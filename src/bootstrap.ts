import { INestApplication, INestApplicationContext, Logger, LogLevel, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { RedisUnavailableFilter } from './common/filters/redis-unavailable.filter';
import { AppConfig } from './config/app-config';

/** JSON bodies may carry a whole subtitle file plus the other fields and JSON escaping. */
const bodyLimit = (config: AppConfig) => Math.ceil(config.env.MAX_TEXT_BYTES * 1.5) + 64 * 1024;

/**
 * Idle keep-alive connections outlive the clients' and load balancers' own idle timeouts (60 s is the
 * usual one), so that the server never closes a socket a client is about to reuse.
 */
const KEEP_ALIVE_MS = 65_000;

export function setUpHttp(app: NestExpressApplication, config: AppConfig): void {
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  app.useBodyParser('json', { limit: bodyLimit(config) });
  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalFilters(new RedisUnavailableFilter(app.get(HttpAdapterHost).httpAdapter));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, transformOptions: { enableImplicitConversion: false } }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('langflix-backend')
      .setDescription('Finds the expressions worth learning in English text and subtitles (idioms, phrasal verbs, collocations) with a four-stage pipeline on Bull queues.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Builds the app for the configured role: HTTP for api and all, a bare context for a worker. */
export async function createApp(config: AppConfig, logger: LogLevel[] | false = ['log', 'warn', 'error', 'fatal']): Promise<INestApplicationContext> {
  const log = new Logger('Bootstrap');
  if (!config.runsApi) {
    const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
    ctx.enableShutdownHooks();
    log.log(`worker started (APP_ROLE=${config.env.APP_ROLE})`);
    return ctx;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger });
  setUpHttp(app, config);
  app.enableShutdownHooks();
  await app.listen(config.env.PORT, config.env.HOST);
  log.log(`listening on http://${config.env.HOST}:${(app as INestApplication).getHttpServer().address().port} (APP_ROLE=${config.env.APP_ROLE}); docs at /docs`);
  return app;
}
