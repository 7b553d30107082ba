import { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { RedisKeys } from '../redis/redis-keys';

// One round trip: count the hit, start the window on the first one, report what is left of it.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }
`;

/** Rate-limit counters in Redis, so that a limit holds across every API process. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string) {
    const [hits, left] = (await this.redis.eval(HIT, 1, this.keys.throttle(throttlerName, key), String(ttl))) as [number, number];
    const seconds = Math.ceil(left / 1000);
    return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
  }
}
