import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis, RedisConnections } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/**
 * Cancel across processes, for every kind of job: the API publishes the record's id on the control channel,
 * and every worker aborts what it runs for that record, if anything.
 */
@Injectable()
export class CancelChannel implements OnApplicationShutdown {
  private readonly logger = new Logger(CancelChannel.name);
  private readonly running = new Map<string, AbortController>();
  private subscriber?: Redis;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly connections: RedisConnections,
  ) {}

  async listen(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.connections.create('job-cancel');
    this.subscriber.on('message', (_channel: string, id: string) => this.abortLocal(id));
    await this.subscriber.subscribe(this.keys.control());
  }

  async publishCancel(id: string): Promise<void> {
    await this.redis.publish(this.keys.control(), id);
  }

  /** Registers a running job of a record; the signal aborts on cancel. */
  track(id: string): AbortController {
    const controller = new AbortController();
    this.running.set(id, controller);
    return controller;
  }

  untrack(id: string, controller: AbortController): void {
    if (this.running.get(id) === controller) this.running.delete(id);
  }

  abortLocal(id: string): void {
    const controller = this.running.get(id);
    if (controller && !controller.signal.aborted) {
      this.logger.log(`cancelling the running job of record ${id}`);
      controller.abort();
    }
  }

  onApplicationShutdown(): void {
    this.running.clear();
  }
}
