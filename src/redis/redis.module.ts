import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from './redis-keys';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Options shared by every connection the app opens, Bull's included. */
export function redisOptions(): RedisOptions {
  return {
    // Commands fail fast while Redis is down instead of queueing without bound; health checks rely on it.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

/**
 * Opens every connection the app has, Bull's included: the one place that decides between a single Redis, a
 * Sentinel-managed master and a Cluster. Closes its own connections on shutdown (Bull closes its).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly open = new Set<Redis>();

  constructor(private readonly config: AppConfig) {}

  create(name: string, overrides: RedisOptions = {}, owned = true): Redis {
    const nodes = this.config.clusterNodes;
    const options = { ...redisOptions(), connectionName: name, ...overrides };
    // A Cluster client speaks the same commands; the app's keys all carry one hash tag (AppConfig.keyPrefix).
    const sentinel = this.config.sentinel;
    const client = nodes.length
      ? (new Redis.Cluster(nodes, {
          redisOptions: options,
          enableOfflineQueue: true,
          enableReadyCheck: options.enableReadyCheck ?? true,
          clusterRetryStrategy: options.retryStrategy,
        }) as unknown as Redis)
      : sentinel
        ? new Redis({ ...options, ...sentinel })
        : new Redis(this.config.env.REDIS_URL, options);
    // Without a listener ioredis prints every reconnect error; one line per failure streak is enough.
    let reported = false;
    client.on('error', (err) => {
      if (!reported) this.logger.warn(`redis (${name}): ${err.message}`);
      reported = true;
    });
    client.on('ready', () => (reported = false));
    if (owned) this.open.add(client);
    return client;
  }

  /**
   * A connection for Bull, which closes it itself. Its blocking and subscriber connections must neither give
   * up on a command nor run a ready check; its command connection retries a command as ioredis does by default.
   */
  forBull(type: 'client' | 'subscriber' | 'bclient'): Redis {
    const overrides: RedisOptions = type === 'client' ? { maxRetriesPerRequest: 20 } : { maxRetriesPerRequest: null, enableReadyCheck: false };
    return this.create(`bull-${type}`, overrides, false);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((c) => c.quit().catch(() => c.disconnect())));
    this.open.clear();
  }
}

@Global()
@Module({
  providers: [
    RedisConnections,
    { provide: RedisKeys, inject: [AppConfig], useFactory: (config: AppConfig) => new RedisKeys(config.keyPrefix) },
    { provide: REDIS_CLIENT, inject: [RedisConnections], useFactory: (c: RedisConnections) => c.create('commands') },
  ],
  exports: [RedisConnections, RedisKeys, REDIS_CLIENT],
})
export class RedisModule {}

export const InjectRedis = () => Inject(REDIS_CLIENT);
