import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { stdTimeFunctions } from 'pino';
import { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';

/** The header a caller (or a proxy in front of the service) may send to name its request; echoed in every response. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids a caller may choose: short and plain, so that they can neither flood nor forge log lines. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes and scrapers call every few seconds; a line per call would bury everything else. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** A URL as logged: a media link's token (`access=`) masked, since it opens its file to whoever has it. */
export function withoutToken(url: string): string {
  return url.replace(/([?&]access=)[^&#]*/g, '$1…');
}

/** The caller's request id when it is a sane one, a new UUID otherwise. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && CALLER_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * pino (through pino-http) for the whole process: one JSON object per line with an ISO time and the level as
 * a word, the process's role, pid and host; a line per HTTP request with its status and duration; and under
 * `requestId` the id that also follows the request's jobs through their stages. Pretty lines instead when
 * LOG_FORMAT=pretty (or NODE_ENV=development).
 */
export function logOptions(config: AppConfig): Options {
  const env = config.env;
  return {
    level: env.LOG_LEVEL,
    base: { service: 'langflix-backend', role: env.APP_ROLE, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged while serving a request carry its id only; the request line itself carries the rest.
    quietReqLogger: true,
    serializers: {
      // Headers stay out: they hold the API keys; so does a media link's token (it opens its file).
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        url: withoutToken(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // 503: Redis away or the service full, said to the client and logged where it happens; not a server bug.
    customLogLevel: (_req, res, err) => (res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.test(req.url ?? '') },
    ...(config.prettyLogs
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              singleLine: true,
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'service,pid,hostname,context',
              messageFormat: '{if context}[{context}] {end}{msg}',
            },
          },
        }
      : {}),
  };
}
