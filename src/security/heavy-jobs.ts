import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { isFinalStatus } from '../common/enums';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/**
 * A cap on the large jobs one client may have running at once (MAX_HEAVY_JOBS_PER_CLIENT), so that one
 * client cannot take every analysis thread or video worker while the others wait. A client's jobs are kept
 * in a set in Redis; those that ended are dropped from it as it is read.
 */
@Injectable()
export class HeavyJobQuota {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
  ) {}

  /** Admits job `id` of `client`, or refuses with a 429 that says what to wait for. */
  async admit(client: string | undefined, id: string, what: string): Promise<void> {
    const cap = this.config.env.MAX_HEAVY_JOBS_PER_CLIENT;
    if (!client || cap === 0) return;
    const key = this.keys.heavyJobs(client);
    const ids = await this.redis.zrange(key, 0, -1);
    const pipe = this.redis.pipeline();
    ids.forEach((other) => pipe.hget(this.keys.record(other), 'status'));
    const statuses = ((await pipe.exec()) ?? []).map(([, status]) => status as string | null);
    const ended = ids.filter((_, i) => !statuses[i] || isFinalStatus(statuses[i]));
    if (ended.length) await this.redis.zrem(key, ...ended);
    const running = ids.length - ended.length;
    if (running >= cap) {
      throw new HttpException(
        `this client already has ${running} large jobs running, its limit (MAX_HEAVY_JOBS_PER_CLIENT=${cap}): wait for one to finish before starting ${what}`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    await this.redis
      .multi()
      .zadd(key, Date.now(), id)
      .pexpire(key, this.config.env.STATUS_TTL_SECONDS * 1000)
      .exec();
  }
}
