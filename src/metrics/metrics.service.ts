import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Job, Queue } from 'bull';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueName } from '../common/enums';
import { queueByName, RedisUnavailableError, withinDeadline } from '../common/queues';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'paused'] as const;
const SCRAPE_WITHIN_MS = 1000;

/**
 * Prometheus metrics of this process: jobs started, completed, failed and retried per queue (stage), their
 * durations, queue depth per state (read at scrape time), pipeline end-to-end latency, HTTP requests, and
 * Node's process metrics.
 */
@Injectable()
export class MetricsService implements OnApplicationBootstrap {
  readonly registry = new Registry();
  private readonly jobs = new Counter({
    name: 'langflix_jobs_total',
    help: 'Jobs by queue and event',
    labelNames: ['queue', 'event'],
    registers: [this.registry],
  });
  private readonly jobSeconds = new Histogram({
    name: 'langflix_job_duration_seconds',
    help: 'Time a job ran, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly pipelineSeconds = new Histogram({
    name: 'langflix_pipeline_latency_seconds',
    help: 'From submit to the last stage done',
    buckets: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 60],
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'langflix_http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: 'langflix_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2],
    registers: [this.registry],
  });

  constructor(private readonly moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry, prefix: 'langflix_' });
    const queues = () => Object.values(QueueName).map((name) => [name, this.queue(name)] as const);
    const redisUp = new Gauge({
      name: 'langflix_redis_up',
      help: 'Whether the queues could be read from Redis at the last scrape (1) or not (0)',
      registers: [this.registry],
    });
    new Gauge({
      name: 'langflix_queue_jobs',
      help: 'Jobs in each queue by state (absent while Redis is away)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        // A scrape must answer while Redis is away: the queue depths are then left out, not waited for.
        this.reset();
        try {
          for (const [name, queue] of queues()) {
            if (queue.client.status !== 'ready') throw new RedisUnavailableError(`the queue ${name} is not connected`);
            const counts = await withinDeadline(queue.getJobCounts(), SCRAPE_WITHIN_MS, `the counts of ${name}`);
            for (const state of STATES) this.set({ queue: name, state }, (counts as unknown as Record<string, number>)[state] ?? 0);
          }
          redisUp.set(1);
        } catch {
          this.reset();
          redisUp.set(0);
        }
      },
    });
  }

  /** Counts the jobs this process runs (Bull's local events fire where a job is processed). */
  onApplicationBootstrap(): void {
    for (const name of Object.values(QueueName)) {
      const queue = this.queue(name);
      queue.on('active', () => this.jobs.inc({ queue: name, event: 'started' }));
      queue.on('completed', (job: Job) => {
        this.jobs.inc({ queue: name, event: 'completed' });
        this.observe(name, job, 'completed');
        const submittedAt = (job.data as { submittedAt?: number }).submittedAt;
        if (name === QueueName.Postprocess && submittedAt) this.pipelineSeconds.observe((Date.now() - submittedAt) / 1000);
      });
      queue.on('failed', (job: Job) => {
        const willRetry = job.attemptsMade < (job.opts.attempts ?? 1) && !(job as Job & { discarded?: boolean }).discarded;
        this.jobs.inc({ queue: name, event: willRetry ? 'retried' : 'failed' });
        this.observe(name, job, 'failed');
      });
    }
  }

  private observe(queue: string, job: Job, outcome: string): void {
    if (job.processedOn) this.jobSeconds.observe({ queue, outcome }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
  }

  private queue(name: string): Queue {
    return queueByName(this.moduleRef, name);
  }
}
