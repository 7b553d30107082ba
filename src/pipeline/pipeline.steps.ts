import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AnalysisOptions, AnalysisStage } from '../analysis/analysis-engine';
import { ExpressionModel } from '../analysis/expression-model';
import { InferenceResult } from '../analysis/analysis.types';
import { Enricher } from '../enrichment/enricher';
import { JobHandlersRegistry, StepContext, StepHandler } from '../jobs/job-handlers';
import { isJsonPayload } from './stages/stage-task';
import { PIPELINE_JOB } from './pipeline.job';
import { StageRunner } from './stages/stage-runner';

export const EXPRESSION_MODEL = Symbol('EXPRESSION_MODEL');

/** The size of the pipeline's text: it decides whether a stage is worth a thread. */
export const textBytesOf = (ctx: StepContext) => Number(ctx.meta.textBytes ?? Infinity);

/** The offline lexicon model (the default), on the stage threads with their time limits and kill on cancel. */
@Injectable()
export class LexiconModelOnThreads implements ExpressionModel {
  readonly name = 'lexicon';

  constructor(private readonly runner: StageRunner) {}

  findExpressions(features: unknown, run: Parameters<ExpressionModel['findExpressions']>[1]): Promise<unknown> {
    return this.runner.run(3, features, run.options, { cancel: run.signal, onProgress: (p) => run.progress(p / 100) }, run.textBytes);
  }
}

/** The pipeline's stages as job steps (worker roles): the analysis's own on the stage threads, the model by injection. */
@Injectable()
export class PipelineSteps implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlersRegistry,
    private readonly runner: StageRunner,
    @Inject(EXPRESSION_MODEL) private readonly model: ExpressionModel,
    private readonly enricher: Enricher,
  ) {}

  onModuleInit(): void {
    const onThreads =
      (stage: AnalysisStage): StepHandler =>
      (input, ctx) =>
        this.runner.run(
          stage,
          input,
          ctx.options as unknown as AnalysisOptions,
          { cancel: ctx.signal, onProgress: (p) => ctx.progress(p / 100) },
          textBytesOf(ctx),
        );
    this.registry.register({
      kind: PIPELINE_JOB,
      steps: {
        preprocess: onThreads(1),
        features: onThreads(2),
        inference: (features, ctx) =>
          this.model.findExpressions(features, {
            // With an LLM, the enrich stage looks for what the lexicon missed in every sentence.
            options: { ...(ctx.options as unknown as AnalysisOptions), enrich: this.enricher.enabled },
            signal: ctx.signal,
            progress: (f) => ctx.progress(f),
            textBytes: textBytesOf(ctx),
          }),
        enrich: async (inference, ctx) => {
          const value = (isJsonPayload(inference) ? JSON.parse(inference.json) : inference) as InferenceResult;
          const enriched = await this.enricher.enrich(value, {
            options: ctx.options as unknown as AnalysisOptions,
            signal: ctx.signal,
            progress: (f) => ctx.progress(f),
          });
          const r = enriched.enrichment;
          if (r)
            ctx.message = `${r.status}: ${r.requests} requests, ${r.confirmed} confirmed, ${r.rejected} left out, ${r.added} added, ${r.translated} translations`;
          return enriched;
        },
        postprocess: onThreads(4),
      },
    });
  }
}
