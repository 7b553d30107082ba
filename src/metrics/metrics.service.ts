import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { queuesOf } from '../jobs/job-kind';
import { QueueJob } from '../jobs/job-queue';
import { JobQueues } from '../jobs/job-queues';
import { RedisUnavailableError, withinDeadline } from '../redis/redis-errors';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'paused'] as const;
const SCRAPE_WITHIN_MS = 1000;

/**
 * Prometheus metrics of this process: jobs started, completed, failed and retried per queue, their durations,
 * queue depth per state (read at scrape time), each kind's end-to-end latency (`langflix_{kind}_latency_seconds`,
 * from the kinds' declarations), HTTP requests, and Node's process metrics.
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
  /** Per kind of job, on the queue of its last step. */
  private readonly latency = new Map<string, { kind: string; histogram: Histogram }>();
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

  constructor(private readonly queues: JobQueues) {
    collectDefaultMetrics({ register: this.registry, prefix: 'langflix_' });
    for (const kind of queues.kinds) {
      const histogram = new Histogram({
        name: `langflix_${kind.kind}_latency_seconds`,
        help: `From submit to the last ${kind.stepWord} of a ${kind.kind} job done`,
        buckets: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 60, 300, 1800],
        registers: [this.registry],
      });
      this.latency.set(queuesOf(kind).at(-1)!, { kind: kind.kind, histogram });
    }
    const all = () => queues.all();
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
          for (const queue of all()) {
            if (!queue.connected) throw new RedisUnavailableError(`the queue ${queue.name} is not connected`);
            const counts = await withinDeadline(queue.counts(), SCRAPE_WITHIN_MS, `the counts of ${queue.name}`);
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state]);
          }
          redisUp.set(1);
        } catch {
          this.reset();
          redisUp.set(0);
        }
      },
    });
  }

  /** Counts the jobs this process runs (the queues' local events fire where a job is processed). */
  onApplicationBootstrap(): void {
    for (const queue of this.queues.all()) {
      const name = queue.name;
      const latency = this.latency.get(name);
      queue.on('active', () => this.jobs.inc({ queue: name, event: 'started' }));
      queue.on('completed', (job: QueueJob, ranMs: number | null) => {
        this.jobs.inc({ queue: name, event: 'completed' });
        this.observe(name, ranMs, 'completed');
        if (latency && job.data.kind === latency.kind && job.data.submittedAt) latency.histogram.observe((Date.now() - job.data.submittedAt) / 1000);
      });
      queue.on('failed', (_job: QueueJob, _err: Error, willRetry: boolean, ranMs: number | null) => {
        this.jobs.inc({ queue: name, event: willRetry ? 'retried' : 'failed' });
        this.observe(name, ranMs, 'failed');
      });
    }
  }

  private observe(queue: string, ranMs: number | null, outcome: string): void {
    if (ranMs !== null) this.jobSeconds.observe({ queue, outcome }, ranMs / 1000);
  }
}
