import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/**
 * The LLM's answers, item by item, in Redis: keyed by everything the answer depends on (the model, the task,
 * the expression, its sense, the line, the language), so that a run again costs nothing.
 */
@Injectable()
export class LlmCache {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
  ) {}

  /** The cache key of an answer, from what it depends on. */
  static keyOf(parts: readonly (string | number | null)[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  }

  /** The cached answers of these keys (absent ones left out). A cache that cannot be read is an empty one. */
  async getMany<T>(keys: string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (!keys.length || this.config.env.LLM_CACHE_TTL_SECONDS === 0) return found;
    const values = await this.redis.mget(keys.map((k) => this.keys.llmAnswer(k))).catch(() => [] as (string | null)[]);
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) found.set(keys[i], JSON.parse(v) as T);
    });
    return found;
  }

  async setMany(entries: [string, unknown][]): Promise<void> {
    const ttl = this.config.env.LLM_CACHE_TTL_SECONDS;
    if (!entries.length || ttl === 0) return;
    const batch = this.redis.multi();
    for (const [key, value] of entries) batch.set(this.keys.llmAnswer(key), JSON.stringify(value), 'EX', ttl);
    await batch.exec();
  }
}
