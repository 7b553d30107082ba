import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

type Labels = { provider: string; model: string; task: string };

/** The LLM's Prometheus metrics: requests by outcome, tokens in and out, latency, cache hits, answers dropped. */
@Injectable()
export class LlmMetrics {
  private readonly requests: Counter;
  private readonly tokens: Counter;
  private readonly seconds: Histogram;
  private readonly cacheHits: Counter;
  private readonly dropped: Counter;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const labelNames = ['provider', 'model', 'task'];
    this.requests = new Counter({
      name: 'langflix_llm_requests_total',
      help: 'LLM requests by outcome (ok, retried, failed)',
      labelNames: [...labelNames, 'outcome'],
      registers,
    });
    this.tokens = new Counter({
      name: 'langflix_llm_tokens_total',
      help: 'Tokens sent (in) and received (out)',
      labelNames: [...labelNames, 'direction'],
      registers,
    });
    this.seconds = new Histogram({
      name: 'langflix_llm_request_duration_seconds',
      help: 'Time an LLM request took',
      labelNames,
      buckets: [0.1, 0.3, 1, 3, 10, 30, 60, 120],
      registers,
    });
    this.cacheHits = new Counter({ name: 'langflix_llm_cache_hits_total', help: 'Answers taken from the cache instead of asked again', labelNames, registers });
    this.dropped = new Counter({
      name: 'langflix_llm_dropped_total',
      help: 'Answers dropped: invalid (against the schema, or malformed JSON) or invented (not in the text)',
      labelNames: [...labelNames, 'reason'],
      registers,
    });
  }

  request(labels: Labels, outcome: 'ok' | 'retried' | 'failed', ms: number, usage?: { input: number; output: number }): void {
    this.requests.inc({ ...labels, outcome });
    this.seconds.observe(labels, ms / 1000);
    if (usage) {
      this.tokens.inc({ ...labels, direction: 'in' }, usage.input);
      this.tokens.inc({ ...labels, direction: 'out' }, usage.output);
    }
  }

  cacheHit(labels: Labels, n = 1): void {
    if (n > 0) this.cacheHits.inc(labels, n);
  }

  drop(labels: Labels, reason: 'invalid' | 'invented', n = 1): void {
    if (n > 0) this.dropped.inc({ ...labels, reason }, n);
  }
}
