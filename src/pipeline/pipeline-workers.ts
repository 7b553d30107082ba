import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PipelineControl } from './pipeline-control';
import { StageProcessor } from './stage.processor';

export const STAGE_PROCESSORS = Symbol('STAGE_PROCESSORS');

/**
 * Starts the stage processors once the app is up, and drains them on shutdown: no new jobs are taken, the
 * running ones get SHUTDOWN_GRACE_MS to finish; what is still running then is handed back to the queue.
 */
@Injectable()
export class PipelineWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PipelineWorkers.name);

  constructor(
    @Inject(STAGE_PROCESSORS) private readonly processors: StageProcessor[],
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.control.listen();
    for (const p of this.processors) p.start(this.config.concurrencyOf(p.queue.name as never));
    this.logger.log(`processing ${this.processors.map((p) => `${p.queue.name} x${this.config.concurrencyOf(p.queue.name as never)}`).join(', ')}`);
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
    if (!finished) this.logger.warn(`jobs still running after ${grace} ms: stopping them; they are handed back to the queue`);
  }
}
