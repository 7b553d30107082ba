import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { PipelineControl } from '../pipeline/pipeline-control';
import { WorkerRegistry } from '../workers/worker-registry';
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
export class QueueWorkers implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private stopping?: Promise<unknown>;

  constructor(
    private readonly processors: QueueProcessor[],
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly registry: WorkerRegistry,
    private readonly onGraceExceeded: () => void = () => undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.control.listen();
    const concurrency = (p: QueueProcessor) => this.config.concurrencyOf(p.queue.name as QueueName);
    for (const p of this.processors) p.start(concurrency(p));
    this.registry.serve(this.processors.map((p) => p.queue.name));
    this.logger.log(`processing ${this.processors.map((p) => `${p.queue.name} x${concurrency(p)}`).join(', ')}`);
  }

  /**
   * Shutdown begins: stop taking jobs now, without waiting. Nest runs each module's shutdown hooks one module
   * after another, so pausing in the drain below let a busy machine start new jobs for a second or more
   * while another module drained.
   */
  onModuleDestroy(): void {
    void this.stopTaking();
  }

  private stopTaking(): Promise<unknown> {
    return (this.stopping ??= Promise.all([this.registry.leave(), ...this.processors.map((p) => p.queue.pause(true, true).catch(() => undefined))]));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopTaking();
    const grace = this.config.env.SHUTDOWN_GRACE_MS;
    this.logger.log(`draining ${this.processors.map((p) => p.queue.name).join(', ')}: no new jobs; running ones get ${grace} ms`);
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
