import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A Redis lock with expiry, held by one process at a time across all machines: SET NX PX with a token,
 * extended while its holder works, released only by its holder. A holder that dies frees it when it expires.
 */
export class RedisLock {
  private token: string | null = null;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  async acquire(): Promise<boolean> {
    const token = randomUUID();
    if ((await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') return false;
    this.token = token;
    this.timer = setInterval(() => void this.redis.eval(EXTEND, 1, this.key, token, String(this.ttlMs)).catch(() => undefined), this.ttlMs / 3);
    this.timer.unref();
    return true;
  }

  /**
   * A turn that expires by itself: true for the one process that takes it within `ms` (one of many workers
   * doing a periodic check), without holding or releasing anything.
   */
  static async takeTurn(redis: Redis, key: string, ms: number): Promise<boolean> {
    return (await redis.set(key, `${process.pid}:${randomUUID()}`, 'PX', ms, 'NX')) === 'OK';
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.token) await this.redis.eval(RELEASE, 1, this.key, this.token);
    this.token = null;
  }
}
