import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Enricher } from '../enrichment/enricher';
import { LlmModule } from '../llm/llm.module';
import { StatusModule } from '../status/status.module';
import { HeavyJobQuota } from '../security/heavy-jobs';
import { PipelineController } from './pipeline.controller';
import { PipelineService } from './pipeline.service';
import { EXPRESSION_MODEL, LexiconModelOnThreads, PipelineSteps } from './pipeline.steps';
import { StageRunner } from './stages/stage-runner';

/** The model of the inference stage, chosen by EXPRESSION_MODEL. */
const modelProvider: Provider = {
  provide: EXPRESSION_MODEL,
  inject: [AppConfig, LexiconModelOnThreads],
  useFactory: (config: AppConfig, lexicon: LexiconModelOnThreads) => ({ lexicon })[config.env.EXPRESSION_MODEL],
};

/** The analysis pipeline: the API role gets the controller; the worker role the stages' handlers and threads. */
@Module({})
export class PipelineModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PipelineModule,
      imports: [StatusModule, ...(config.runsWorkers ? [LlmModule] : [])],
      controllers: config.runsApi ? [PipelineController] : [],
      providers: [PipelineService, HeavyJobQuota, ...(config.runsWorkers ? [StageRunner, LexiconModelOnThreads, modelProvider, Enricher, PipelineSteps] : [])],
      exports: [PipelineService, HeavyJobQuota],
    };
  }
}
