import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger as PinoBackedLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { errorBody, HttpErrorFilter } from './common/http/http-error.filter';
import { createValidationPipe } from './common/http/validation';
import { AppConfig } from './config/app-config';
import { REQUEST_ID_HEADER } from './logging/log-options';
import { buildOpenApiDocument } from './openapi';
import { keyGate, openRequestLimit } from './security/dashboard-auth';

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

/** The one route that takes a multipart form (the episode upload); every other body is JSON. */
const MULTIPART_ROUTE = /^\/api\/v1\/videos\/?$/;

interface BodyRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

interface JsonReply {
  status(code: number): { json(body: unknown): void };
}

/** A body that is not JSON (nor the upload's form) is refused with a message that says what to send. */
function requireJsonBodies(req: BodyRequest, res: JsonReply, next: () => void): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(req.method) || !req.path.startsWith('/api/')) return next();
  if (/^application\/(?:[\w.+-]*\+)?json\b/.test(type)) return next();
  if (type.startsWith('multipart/form-data') && MULTIPART_ROUTE.test(req.path)) return next();
  const wanted = MULTIPART_ROUTE.test(req.path) ? 'a multipart/form-data form with the video and subtitles files' : 'JSON with Content-Type: application/json';
  res.status(415).json(errorBody(415, `the body is ${type || 'of no declared type'}: send ${wanted}`));
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
  // styles, so /docs and /admin get no CSP. The studio page keeps the strict policy but for
  // upgrade-insecure-requests: served over plain HTTP (a LAN, a container without TLS), that would send its
  // own script and stylesheet to an https:// that does not answer, and leave the page blank.
  const strict = helmet();
  const docs = helmet({ contentSecurityPolicy: false });
  const studio = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.use((req: { path: string }, res: unknown, next: () => void) =>
    (/^\/(docs|admin)/.test(req.path) ? docs : /^\/studio(\/|$)/.test(req.path) ? studio : strict)(req as never, res as never, next),
  );
  const origins = config.env.CORS_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins?.length) {
    app.enableCors({ origin: origins, allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', REQUEST_ID_HEADER], exposedHeaders: [REQUEST_ID_HEADER] });
  }
  // body-parser's `verify` hook (Nest's option type leaves it out; the parser honours it).
  app.useBodyParser('json', { limit: bodyLimit(config), verify: refuseDeepJson } as { limit: number });
  app.use(requireJsonBodies);
  if (config.env.MAX_OPEN_REQUESTS_PER_CLIENT > 0) app.use(openRequestLimit(config));
  app.setGlobalPrefix('api/v1', { exclude: ['', 'health', 'health/ready', 'metrics', 'admin/queues', 'admin/queues/{*path}', 'studio', 'studio/{*path}'] });
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  const document = buildOpenApiDocument(app, config);
  if (!config.docsPublic) app.use(['/docs', '/docs-json'], keyGate(config, 'user', 'langflix API docs'));
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
