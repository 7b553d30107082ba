import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { StatusService } from '../status/status.service';
import { StageNumber } from '../status/status.types';
import { PipelineControl } from './pipeline-control';
import { PipelineWorkers, STAGE_PROCESSORS } from './pipeline-workers';
import { PipelineController } from './pipeline.controller';
import { STAGE_QUEUES, STAGES } from './pipeline.constants';
import { PipelineService } from './pipeline.service';
import { StageJobData, StageProcessor } from './stage.processor';
import { StageRunner } from './stages/stage-runner';

/** One processor per stage, each bound to its own queue and to the next stage's queue. */
const processorsProvider: Provider = {
  provide: STAGE_PROCESSORS,
  inject: [...STAGES.map((s) => getQueueToken(STAGE_QUEUES[s])), StageRunner, StatusService, PipelineControl, AppConfig],
  useFactory: (...deps: unknown[]) => {
    const queues = deps.slice(0, 4) as Queue<StageJobData>[];
    const [runner, status, control, config] = deps.slice(4) as [StageRunner, StatusService, PipelineControl, AppConfig];
    return STAGES.map((s: StageNumber) => new StageProcessor(s, queues[s - 1], queues[s] ?? null, runner, status, control, config));
  },
};

@Module({})
export class PipelineModule {
  /** The API role gets the controller; the worker role gets the processors; `all` gets both. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: PipelineModule,
      imports: [BullModule.registerQueue(...STAGES.map((s) => ({ name: STAGE_QUEUES[s] })))],
      controllers: config.runsApi ? [PipelineController] : [],
      providers: [PipelineService, PipelineControl, ...(config.runsWorkers ? [StageRunner, processorsProvider, PipelineWorkers] : [])],
      exports: [PipelineService],
    };
  }
}
