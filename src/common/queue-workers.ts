import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { PipelineControl } from '../pipeline/pipeline-control';
import { QueueName } from './enums';

/** A processor bound to its queue; `start` begins consuming it. */
export interface QueueProcessor {
  readonly queue: Queue;
  start(concurrency: number): void;
}

/**
 * Starts a module's processors once the app is up, and drains them on shutdown: no new jobs are taken, the
 * running ones get SHUTDOWN_GRACE_MS to finish; what still runs then is left to the queue, whose lock
 * expiry hands it to another worker.
 */
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);

  constructor(
    private readonly processors: QueueProcessor[],
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly onGraceExceeded: () => void = () => undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.control.listen();
    const concurrency = (p: QueueProcessor) => this.config.concurrencyOf(p.queue.name as QueueName);
    for (const p of this.processors) p.start(concurrency(p));
    this.logger.log(`processing ${this.processors.map((p) => `${p.queue.name} x${concurrency(p)}`).join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.queue.pause(true, true).catch(() => undefined)));
    const grace = this.config.env.SHUTDOWN_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(this.processors.map((p) => p.queue.whenCurrentJobsFinished())).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(`jobs still running after ${grace} ms: stopping them; the queue hands them to another worker`);
      this.onGraceExceeded();
    }
  }
}
