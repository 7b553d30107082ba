import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LlmCache } from './llm-cache';
import { LlmMetrics } from './llm-metrics';
import { LLM_PROVIDER, LlmProvider } from './llm.types';
import { OpenAiProvider } from './openai-provider';

/** The optional language model (LLM_PROVIDER): the provider (null when none), its answer cache and metrics. */
@Module({
  providers: [
    LlmMetrics,
    LlmCache,
    {
      provide: LLM_PROVIDER,
      inject: [AppConfig, LlmMetrics],
      useFactory: (config: AppConfig, metrics: LlmMetrics): LlmProvider | null =>
        config.env.LLM_PROVIDER === 'openai' ? new OpenAiProvider(config.env, metrics) : null,
    },
  ],
  exports: [LLM_PROVIDER, LlmCache, LlmMetrics],
})
export class LlmModule {}
