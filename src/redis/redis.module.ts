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

/** Opens connections and closes all of them on shutdown. */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly open = new Set<Redis>();

  constructor(private readonly config: AppConfig) {}

  create(name: string, overrides: RedisOptions = {}): Redis {
    const nodes = this.config.clusterNodes;
    const options = { ...redisOptions(), connectionName: name, ...overrides };
    // A Cluster client speaks the same commands; the app's keys all carry one hash tag (AppConfig.keyPrefix).
    const sentinel = this.config.sentinel;
    const client = nodes.length
      ? (new Redis.Cluster(nodes, { redisOptions: options, enableOfflineQueue: true, clusterRetryStrategy: options.retryStrategy }) as unknown as Redis)
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
    this.open.add(client);
    return client;
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
