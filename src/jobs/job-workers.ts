import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CancelChannel } from './cancel-channel';
import { JobHandlersRegistry } from './job-handlers';
import { JobQueues } from './job-queues';
import { JobRunner } from './job-runner';
import { WorkerRegistry } from './worker-registry';

/**
 * The worker side of every queue (worker roles only): refuses to start while a declared step has no handler,
 * takes jobs once the app is up, beats for the queues it serves, and drains on shutdown: no new jobs are
 * taken, the running ones get SHUTDOWN_GRACE_MS to finish; what still runs then is left to the queue, whose
 * lock expiry hands it to another worker.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobWorkers.name);
  private stopping?: Promise<unknown>;

  constructor(
    private readonly queues: JobQueues,
    private readonly runner: JobRunner,
    private readonly handlers: JobHandlersRegistry,
    private readonly cancels: CancelChannel,
    private readonly registry: WorkerRegistry,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const missing = this.handlers.missing(this.queues.kinds);
    if (missing.length) throw new Error(`no handler for the job steps ${missing.join(', ')}: a worker cannot run them`);
    await this.cancels.listen();
    const env = this.config.env;
    const started: string[] = [];
    for (const queue of this.queues.all()) {
      const concurrency = this.queues.kindOfQueue(queue.name).concurrency(queue.name, env);
      queue.process(concurrency, (job) => this.runner.handle(job));
      queue.on('failed', (job, err) => {
        // Bull fails a job by itself when it stalled too often (its workers kept dying): the record says so.
        if (/stalled/i.test(err.message)) this.runner.stalled(job, err).catch((e: Error) => this.logger.error(`record ${job.data.recordId}: ${e.message}`));
      });
      started.push(`${queue.name} x${concurrency}`);
    }
    this.registry.serve(this.queues.names);
    this.logger.log(`processing ${started.join(', ')}`);
  }

  /**
   * Shutdown begins: stop taking jobs now, without waiting. Nest runs each module's shutdown hooks one module
   * after another; pausing only in the drain below let a busy machine start new jobs while others drained.
   */
  onModuleDestroy(): void {
    void this.stopTaking();
  }

  private stopTaking(): Promise<unknown> {
    return (this.stopping ??= Promise.all([this.registry.leave(), ...this.queues.all().map((q) => q.pause(true).catch(() => undefined))]));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopTaking();
    const grace = this.config.env.SHUTDOWN_GRACE_MS;
    this.logger.log(`draining ${this.queues.names.join(', ')}: no new jobs; running ones get ${grace} ms`);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(this.queues.all().map((q) => q.whenIdle())).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(`jobs still running after ${grace} ms: stopping them; the queue hands them to another worker`);
      this.handlers.abandonAll();
    }
  }
}
