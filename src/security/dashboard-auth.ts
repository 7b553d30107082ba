import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import Redis from 'ioredis';
import { errorBody } from '../common/http/http-error.filter';
import { AppConfig } from '../config/app-config';
import { JobQueues } from '../jobs/job-queues';
import { REDIS_CLIENT } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { ADMIN_REQUIRED_MESSAGE, CallerRole, clientOf, KeyRing } from './api-key.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

interface Req {
  ip?: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
interface Res {
  statusCode: number;
  setHeader(name: string, value: string | number): void;
  end(body?: string): void;
}

/** Answers with the one error shape; browsers get a Basic-auth prompt with a 401. */
export function refuse(res: Res, status: number, message: string, realm?: string): void {
  res.statusCode = status;
  if (realm) res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(errorBody(status, message)));
}

/**
 * Pages served outside Nest's guards (Swagger UI) still need a key of at least `role` when keys are set.
 * Browsers get a Basic-auth prompt (any user name, the key as password).
 */
export function keyGate(config: AppConfig, need: 'user' | 'admin', realm: string) {
  const keys = new KeyRing(config);
  return (req: Req, res: Res, next: () => void) => {
    const role: CallerRole | null = keys.roleOf(req.headers);
    if (!role) return refuse(res, 401, `${realm} needs an API key (as the Basic-auth password, a Bearer token or X-API-Key)`, realm);
    if (need === 'admin' && !KeyRing.mayAdminister(role)) return refuse(res, 403, ADMIN_REQUIRED_MESSAGE);
    next();
  };
}

interface ClosingRes extends Res {
  once(event: 'close', listener: () => void): unknown;
}

/**
 * At most MAX_OPEN_REQUESTS_PER_CLIENT requests of one client (its valid key, else its IP) open at once on
 * this process: a client cannot hold all of the server's sockets (live streams are requests too). Probes
 * are not counted.
 */
export function openRequestLimit(config: AppConfig) {
  const keys = new KeyRing(config);
  const max = config.env.MAX_OPEN_REQUESTS_PER_CLIENT;
  const open = new Map<string, number>();
  return (req: Req & { path?: string }, res: ClosingRes, next: () => void) => {
    if (/^\/(health|metrics)/.test(req.path ?? req.url)) return next();
    const client = clientOf(req, keys);
    const count = open.get(client) ?? 0;
    if (count >= max) {
      res.setHeader('Retry-After', 1);
      return refuse(res, 429, `too many open requests from this client (${max}, MAX_OPEN_REQUESTS_PER_CLIENT): close some (live streams included) first`);
    }
    open.set(client, count + 1);
    res.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
    next();
  };
}

/**
 * In front of the queue dashboard (bull-board, plain Express outside Nest): an admin key (it can retry,
 * remove and promote jobs and pause queues), the same rate limit as the API, no X-Powered-By, and while
 * Redis is away a 503 at once for its API calls instead of requests that hang and run when Redis returns.
 */
@Injectable()
export class DashboardMiddleware implements NestMiddleware {
  private readonly gate: ReturnType<typeof keyGate>;
  private readonly limits: RedisThrottlerStorage;
  private readonly keys: KeyRing;

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_CLIENT) redis: Redis,
    redisKeys: RedisKeys,
    private readonly queues: JobQueues,
  ) {
    this.gate = keyGate(config, 'admin', 'langflix queues');
    this.limits = new RedisThrottlerStorage(redis, redisKeys);
    this.keys = new KeyRing(config);
  }

  use(req: Req, res: Res, next: () => void): void {
    // bull-board's own Express app would name itself in every response.
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: string | number) => (name.toLowerCase() === 'x-powered-by' ? undefined : setHeader(name, value));
    this.gate(req, res, () => void this.admit(req, res, next));
  }

  private async admit(req: Req, res: Res, next: () => void): Promise<void> {
    const limit = this.config.env.RATE_LIMIT_PER_MINUTE;
    if (limit > 0) {
      try {
        const hit = await this.limits.increment(clientOf(req, this.keys), 60_000, limit, 0, 'dashboard');
        if (hit.isBlocked) {
          res.setHeader('Retry-After', hit.timeToExpire);
          return refuse(res, 429, `too many requests: the limit is ${limit} per minute; retry after the time in the Retry-After header`);
        }
      } catch {
        return refuse(res, 503, 'the status store (Redis) is unavailable; try again shortly');
      }
    }
    const apiCall = /\/api\//.test(req.url);
    if (apiCall && this.queues.all().some((queue) => !queue.connected)) {
      res.setHeader('Retry-After', 5);
      return refuse(res, 503, 'the queues (Redis) are unavailable; try again shortly');
    }
    next();
  }
}
