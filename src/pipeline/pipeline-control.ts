import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis, RedisConnections } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

/**
 * Cancel across processes: the API publishes the pipeline id on the control channel, and every worker aborts
 * the stage it runs for that pipeline, if any.
 */
@Injectable()
export class PipelineControl implements OnApplicationShutdown {
  private readonly logger = new Logger(PipelineControl.name);
  private readonly running = new Map<string, AbortController>();
  private subscriber?: Redis;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly connections: RedisConnections,
  ) {}

  async listen(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.connections.create('pipeline-control');
    this.subscriber.on('message', (_channel: string, id: string) => this.abortLocal(id));
    await this.subscriber.subscribe(this.keys.control());
  }

  async publishCancel(id: string): Promise<void> {
    await this.redis.publish(this.keys.control(), id);
  }

  /** Registers a running stage of a pipeline; the signal aborts on cancel. */
  track(id: string): AbortController {
    const controller = new AbortController();
    this.running.set(id, controller);
    return controller;
  }

  untrack(id: string, controller: AbortController): void {
    if (this.running.get(id) === controller) this.running.delete(id);
  }

  get activeCount(): number {
    return this.running.size;
  }

  abortLocal(id: string): void {
    const controller = this.running.get(id);
    if (controller && !controller.signal.aborted) {
      this.logger.log(`cancelling the running stage of pipeline ${id}`);
      controller.abort();
    }
  }

  onApplicationShutdown(): void {
    this.running.clear();
  }
}
