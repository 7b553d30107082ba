import { ThrottlerModuleOptions } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../redis/redis-keys';
import { clientOf, KeyRing } from './api-key.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

interface Req {
  ip?: string;
  path?: string;
  headers: Record<string, string | string[] | undefined>;
}

export function throttlerOptions(config: AppConfig, redis: Redis, keys: RedisKeys): ThrottlerModuleOptions {
  const limit = config.env.RATE_LIMIT_PER_MINUTE;
  const ring = new KeyRing(config);
  return {
    // Named "default", the throttler sends the standard Retry-After header.
    throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, limit) }],
    storage: new RedisThrottlerStorage(redis, keys),
    errorMessage: `too many requests: the limit is ${limit} per minute; retry after the time in the Retry-After header`,
    getTracker: (req) => clientOf(req as Req, ring),
    // Probes, scrapers and the studio page's own files are not API calls; RATE_LIMIT_PER_MINUTE=0 turns limits off.
    skipIf: (ctx) => limit === 0 || /^\/(health|metrics|studio)/.test(ctx.switchToHttp().getRequest<Req>().path ?? ''),
  };
}
