import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/** How often a worker process says it is alive, and how long that holds. */
export const HEARTBEAT_MS = 5000;
const ALIVE_FOR_MS = 3 * HEARTBEAT_MS;

/**
 * Which queues have a live worker. Every worker process beats for the queues it takes jobs from (a sorted
 * set per queue, scored by the time of the last beat); an API process reads it for its readiness and to tell,
 * in a new job's record, that nobody is there to take it.
 */
@Injectable()
export class WorkerRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkerRegistry.name);
  private readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly queues = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** This process takes jobs from these queues from now on. */
  serve(queues: string[]): void {
    queues.forEach((q) => this.queues.add(q));
    void this.beat();
    this.timer ??= setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** This process takes no more jobs (shutdown): its beats go at once. */
  async leave(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const queues = [...this.queues];
    this.queues.clear();
    await Promise.all(queues.map((q) => this.redis.zrem(this.keys.workers(q), this.instance))).catch(() => undefined);
  }

  /** The queues, among these, that no worker has beaten for lately. */
  async unserved(queues: string[], now = Date.now()): Promise<string[]> {
    const counts = await Promise.all(queues.map((q) => this.redis.zcount(this.keys.workers(q), now - ALIVE_FOR_MS, '+inf')));
    return queues.filter((_, i) => counts[i] === 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leave();
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    try {
      await Promise.all(
        [...this.queues].map((q) =>
          this.redis
            .multi()
            .zadd(this.keys.workers(q), now, this.instance)
            // Beats of processes that died without saying so go once they are well out of date.
            .zremrangebyscore(this.keys.workers(q), '-inf', now - 10 * ALIVE_FOR_MS)
            .exec(),
        ),
      );
    } catch (err) {
      this.logger.warn(`worker heartbeat not recorded: ${(err as Error).message}`);
    }
  }
}

/** What a new job's record says when no worker is there to take it from its first queue. */
export async function waitingFor(registry: WorkerRegistry, queue: string): Promise<string | undefined> {
  const unserved = await registry.unserved([queue]).catch(() => []);
  return unserved.length ? `waiting: no worker is running for ${queue}; start one (APP_ROLE=worker or all)` : undefined;
}
