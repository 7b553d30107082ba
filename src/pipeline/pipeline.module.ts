import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { JobLogContext } from '../logging/job-log-context';
import { StatusService } from '../status/status.service';
import { StageNumber } from '../status/status.types';
import { PipelineControl } from './pipeline-control';
import { QueueWorkers } from '../common/queue-workers';
import { PipelineController } from './pipeline.controller';
import { STAGE_QUEUES, STAGES } from './pipeline.constants';
import { PipelineService } from './pipeline.service';
import { StageJobData, StageProcessor } from './stage.processor';
import { StageRunner } from './stages/stage-runner';
import { WorkerRegistry } from '../workers/worker-registry';
import { HeavyJobQuota } from '../security/heavy-jobs';

/** One processor per stage, each bound to its own queue and to the next stage's queue. */
const workersProvider: Provider = {
  provide: QueueWorkers,
  inject: [...STAGES.map((s) => getQueueToken(STAGE_QUEUES[s])), StageRunner, StatusService, PipelineControl, AppConfig, JobLogContext, WorkerRegistry],
  useFactory: (...deps: unknown[]) => {
    const queues = deps.slice(0, 4) as Queue<StageJobData>[];
    const [runner, status, control, config, logs, registry] = deps.slice(4) as [
      StageRunner,
      StatusService,
      PipelineControl,
      AppConfig,
      JobLogContext,
      WorkerRegistry,
    ];
    const processors = STAGES.map((s: StageNumber) => new StageProcessor(s, queues[s - 1], queues[s] ?? null, runner, status, control, config, logs));
    return new QueueWorkers(processors, control, config, registry);
  },
};

@Module({})
export class PipelineModule {
  /** The API role gets the controller; the worker role gets the processors; `all` gets both. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: PipelineModule,
      // Global: the video jobs start pipelines too, and the module must exist once (its workers start once).
      global: true,
      imports: [BullModule.registerQueue(...STAGES.map((s) => ({ name: STAGE_QUEUES[s] })))],
      controllers: config.runsApi ? [PipelineController] : [],
      providers: [PipelineService, PipelineControl, HeavyJobQuota, ...(config.runsWorkers ? [StageRunner, workersProvider] : [])],
      exports: [PipelineService, PipelineControl, HeavyJobQuota],
    };
  }
}
