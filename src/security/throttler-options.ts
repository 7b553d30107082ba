import { ThrottlerModuleOptions } from '@nestjs/throttler';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../redis/redis-keys';
import { RedisThrottlerStorage } from './redis-throttler.storage';

interface Req {
  ip?: string;
  path?: string;
  headers: Record<string, string | undefined>;
}

/** Per API key when one is sent (hashed: keys never reach Redis), else per client IP. */
function tracker(req: Req): string {
  const key = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? req.headers['x-api-key'];
  return key ? `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `ip:${req.ip ?? 'unknown'}`;
}

export function throttlerOptions(config: AppConfig, redis: Redis, keys: RedisKeys): ThrottlerModuleOptions {
  const limit = config.env.RATE_LIMIT_PER_MINUTE;
  return {
    // Named "default", the throttler sends the standard Retry-After header.
    throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, limit) }],
    storage: new RedisThrottlerStorage(redis, keys),
    errorMessage: `too many requests: the limit is ${limit} per minute; retry after the time in the Retry-After header`,
    getTracker: (req) => tracker(req as Req),
    // Probes and scrapers are not clients; RATE_LIMIT_PER_MINUTE=0 turns limits off.
    skipIf: (ctx) => limit === 0 || /^\/(health|metrics)/.test(ctx.switchToHttp().getRequest<Req>().path ?? ''),
  };
}
