import { Injectable, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { join } from 'node:path';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/** A job's own folder under TEMP_ROOT: uploads in `upload/`, intermediates in `work/`. */
export const jobTempDir = (tempRoot: string, id: string) => join(tempRoot, id);

/** How long an upload counts as in progress at most, should its end never be recorded (a crashed API process). */
export const UPLOAD_MAX_MS = 6 * 3600_000;
/** How long the cleanup remembers what it removed (a download of it is then a 410, not a 404). */
const SWEPT_KEPT_MS = 30 * 86_400_000;

/**
 * Uploads in progress, in Redis: the cleanup never touches their folders, whatever age it is told to sweep.
 * An upload is in progress from its first byte until its response is sent (its job record then protects
 * the files while the job runs).
 */
@Injectable()
export class InflightUploads {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  begin(id: string, response: { once(event: 'close', listener: () => void): unknown } | undefined): void {
    void this.redis.zadd(this.keys.uploads(), Date.now(), id).catch(() => undefined);
    response?.once('close', () => void this.redis.zrem(this.keys.uploads(), id).catch(() => undefined));
  }

  async ids(now = Date.now()): Promise<Set<string>> {
    await this.redis.zremrangebyscore(this.keys.uploads(), '-inf', now - UPLOAD_MAX_MS);
    return new Set(await this.redis.zrange(this.keys.uploads(), 0, -1));
  }
}

/** The output files the cleanup removed (paths relative to OUTPUT_ROOT), for a month. */
@Injectable()
export class SweptFiles {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async add(paths: string[], at = Date.now()): Promise<void> {
    if (paths.length) await this.redis.zadd(this.keys.swept(), ...paths.flatMap((p) => [at, p]));
  }

  async has(path: string): Promise<boolean> {
    return (await this.redis.zscore(this.keys.swept(), path)) !== null;
  }

  async forgetOld(now = Date.now()): Promise<void> {
    await this.redis.zremrangebyscore(this.keys.swept(), '-inf', now - SWEPT_KEPT_MS);
  }
}

/** What the API, the video jobs and the cleanup share of the disk: job folders, uploads in progress, swept files. */
@Module({ providers: [InflightUploads, SweptFiles], exports: [InflightUploads, SweptFiles] })
export class StorageModule {}
