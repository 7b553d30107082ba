import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobStatus } from '../common/enums';
import { AppConfig } from '../config/app-config';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { CancelChannel } from './cancel-channel';
import { JobHandlersRegistry } from './job-handlers';
import { JobKind, jobIdOf, jobsOfRecord, stagesOf } from './job-kind';
import { JobQueues } from './job-queues';
import { waitingFor, WorkerRegistry } from './worker-registry';

export interface StartJob {
  /** The record's id (an upload's files are already in its folder); a new one when left out. */
  id?: string;
  /** Shown in the record and carried to every step. */
  options: Record<string, unknown>;
  /** The first step's input. */
  input: unknown;
  requestId?: string;
  meta?: Record<string, unknown>;
}

/** Starts, reads and cancels jobs of every kind: the one place that puts records and their jobs in. */
@Injectable()
export class JobsService {
  constructor(
    private readonly queues: JobQueues,
    private readonly status: StatusService,
    private readonly cancels: CancelChannel,
    private readonly handlers: JobHandlersRegistry,
    private readonly workers: WorkerRegistry,
    private readonly config: AppConfig,
  ) {}

  /** A new record (PENDING, saying so when no worker is there to take it) and its first job. */
  async start(declared: JobKind, job: StartJob): Promise<StatusRecord> {
    const kind = this.queues.kind(declared.kind); // as this configuration runs it
    const id = job.id ?? randomUUID();
    const queue = kind.steps[0].queue;
    const record = await this.status.create(kind.kind, id, job.options, stagesOf(kind), { message: await waitingFor(this.workers, queue) });
    const { retries, delayMs } = kind.retries(this.config.env);
    await this.queues.get(queue).add(
      {
        recordId: id,
        kind: kind.kind,
        steps: kind.steps.map((s) => s.name),
        first: 1,
        input: job.input,
        options: job.options,
        requestId: job.requestId,
        submittedAt: Date.now(),
        meta: job.meta,
      },
      { jobId: jobIdOf(kind, id, 1), attempts: retries + 1, backoffMs: delayMs },
    );
    return record;
  }

  async get<T = unknown>(kind: JobKind, id: string, what = kind.kind): Promise<StatusRecord<T>> {
    const record = await this.status.get<T>(id, kind.kind);
    if (!record) throw new NotFoundException(`${what} ${id} not found (unknown, or expired after ${this.config.env.STATUS_TTL_SECONDS} s)`);
    return record;
  }

  list(kind: JobKind, limit: number, status?: JobStatus): Promise<StatusRecord[]> {
    return this.status.list(kind.kind, limit, status);
  }

  /**
   * Resumes a record waiting for review: atomically marks it going on with the review's decision (`field`,
   * `value`), then queues its next step with the input `next` builds from what the job kept. A record that is
   * not waiting (already resumed, cancelled, finished) is a 409; one unknown or expired a 404.
   */
  async resume(
    declared: JobKind,
    id: string,
    decision: { field: string; value: string },
    next: (kept: unknown) => unknown,
    what = declared.kind,
    message = 'reviewed: going on',
  ): Promise<StatusRecord> {
    const kind = this.queues.kind(declared.kind);
    const record = await this.get(kind, id, what);
    const kept = await this.status.getField(id, 'resume');
    if (record.status !== JobStatus.Review || !kept) throw new ConflictException(`${what} ${id} is not waiting for review: it is ${record.status}`);
    const { input, meta, requestId } = JSON.parse(kept) as { input: unknown; meta?: Record<string, unknown>; requestId?: string };
    const data = next(input);
    const outcome = await this.status.resumeReview(id, decision.field, decision.value, message);
    if (outcome === 'MISSING') throw new NotFoundException(`${what} ${id} not found (its review expired after ${this.config.env.REVIEW_TTL_SECONDS} s)`);
    if (outcome !== 'OK') throw new ConflictException(`${what} ${id} is not waiting for review: it is ${outcome}`);
    const first = (record.currentStage ?? 0) + 1;
    const { retries, delayMs } = kind.retries(this.config.env);
    await this.queues.get(kind.steps[first - 1].queue).add(
      {
        recordId: id,
        kind: kind.kind,
        steps: kind.steps.map((s) => s.name),
        first,
        input: data,
        options: record.options,
        requestId,
        submittedAt: Date.now(),
        meta,
      },
      { jobId: jobIdOf(kind, id, first), attempts: retries + 1, backoffMs: delayMs },
    );
    return this.get(kind, id, what);
  }

  /**
   * Revokes a record: no later step starts, its queued jobs go, and the worker running it is told to stop.
   * Returns what it found when the record was already final (nothing done then), or OK.
   */
  async cancel(kind: JobKind, id: string, what = kind.kind): Promise<StatusRecord> {
    const before = await this.get(kind, id, what); // 404 for an unknown id, or one of another kind
    const outcome = await this.status.revoke(id, 'cancelled by request');
    if (outcome === 'MISSING') throw new NotFoundException(`${what} ${id} not found`);
    if (outcome !== 'OK') throw new ConflictException(`${what} ${id} is already final: ${outcome}`);
    const removed = await Promise.all(jobsOfRecord(this.queues.kind(kind.kind), id).map(([queue, jobId]) => this.queues.get(queue).removeIfWaiting(jobId)));
    // No step will run to use its files: a job that was only queued, or waiting for review.
    if (removed.some(Boolean) || before.status === JobStatus.Review) await this.handlers.find(kind.kind)?.cancelled?.(id);
    await this.cancels.publishCancel(id);
    return this.get(kind, id, what);
  }
}
