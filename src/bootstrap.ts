import { INestApplication, INestApplicationContext, Logger, ValidationPipe } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger as PinoBackedLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { RedisUnavailableFilter } from './common/filters/redis-unavailable.filter';
import { AppConfig } from './config/app-config';
import { REQUEST_ID_HEADER } from './logging/log-options';
import { isPublicPath } from './security/api-key.guard';

/** No request of this API nests deeper; deeper JSON is refused before it is parsed (it only serves to exhaust the stack). */
const MAX_JSON_DEPTH = 32;

function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, expose: true });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

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
  // Security headers everywhere; Swagger UI's and the queue dashboard's pages need their inline scripts and
  // styles, so /docs and /admin get no CSP.
  const strict = helmet();
  const docs = helmet({ contentSecurityPolicy: false });
  app.use((req: { path: string }, res: unknown, next: () => void) => (/^\/(docs|admin)/.test(req.path) ? docs : strict)(req as never, res as never, next));
  const origins = config.env.CORS_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins?.length) {
    app.enableCors({ origin: origins, allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', REQUEST_ID_HEADER], exposedHeaders: [REQUEST_ID_HEADER] });
  }
  // body-parser's `verify` hook (Nest's option type leaves it out; the parser honours it).
  app.useBodyParser('json', { limit: bodyLimit(config), verify: refuseDeepJson } as { limit: number });
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'health/ready', 'metrics', 'admin/queues', 'admin/queues/{*path}'] });
  app.useGlobalFilters(new RedisUnavailableFilter(app.get(HttpAdapterHost).httpAdapter));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, transformOptions: { enableImplicitConversion: false } }),
  );
  const builder = new DocumentBuilder()
    .setTitle('langflix-backend')
    .setDescription(
      'Finds the expressions worth learning in English text and subtitles (idioms, phrasal verbs, collocations) with a four-stage pipeline on Bull queues.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'X-API-Key');
  if (config.apiKeys.length) {
    // Either scheme will do; "Authorize" in Swagger UI then sends the key with every "Try it out".
    builder
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('X-API-Key')
      .addGlobalResponse({ status: 401, description: 'No API key, or not a valid one' });
  }
  if (config.env.RATE_LIMIT_PER_MINUTE > 0) builder.addGlobalResponse({ status: 429, description: 'Rate limit reached; Retry-After says when to come back' });
  const document = SwaggerModule.createDocument(app, builder.build());
  for (const [path, ops] of Object.entries(document.paths))
    if (isPublicPath(path, config)) for (const op of Object.values(ops)) Object.assign(op, { security: [] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * Builds the app for the configured role: the HTTP API for api and all; for a worker a bare context, or with
 * METRICS_PORT an HTTP server of only /health, /health/ready and /metrics. Logs go through pino.
 */
export async function createApp(config: AppConfig): Promise<INestApplicationContext> {
  const log = new Logger('Bootstrap');
  if (!config.servesHttp) {
    const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
    ctx.useLogger(ctx.get(PinoBackedLogger));
    ctx.enableShutdownHooks();
    log.log(`worker started (APP_ROLE=${config.env.APP_ROLE})`);
    return ctx;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoBackedLogger));
  if (config.runsApi) setUpHttp(app, config);
  else app.use(helmet());
  app.enableShutdownHooks();
  if (!config.runsApi) {
    await app.listen(config.env.METRICS_PORT!, config.host);
    log.log(`worker started (APP_ROLE=${config.env.APP_ROLE}); /health and /metrics on http://${config.host}:${config.env.METRICS_PORT}`);
    return app;
  }
  await app.listen(config.env.PORT, config.host);
  log.log(`listening on http://${config.host}:${(app as INestApplication).getHttpServer().address().port} (APP_ROLE=${config.env.APP_ROLE}); docs at /docs`);
  if (!config.apiKeys.length) {
    log.warn(`no API_KEYS: the API is open to anyone who reaches it${config.env.HOST ? '' : ', so it listens on 127.0.0.1 only (set HOST to change that)'}`);
  }
  return app;
}
