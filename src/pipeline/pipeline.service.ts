import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { AnalysisOptions } from '../analysis/analysis-engine';
import { checkInput } from '../analysis/subtitles';
import { JobStatus, QueueName } from '../common/enums';
import { InputError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { StatusService } from '../status/status.service';
import { PipelineRecord, STAGE_NAMES } from '../status/status.types';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { PipelineControl } from './pipeline-control';
import { STAGES, stageJobId, stageJobOptions } from './pipeline.constants';
import { StageJobData } from './stage.processor';
import { HeavyJobQuota } from '../security/heavy-jobs';
import { waitingFor, WorkerRegistry } from '../workers/worker-registry';

const PIPELINE_STAGES = STAGE_NAMES.map((name) => ({ name, weight: 1 }));

/** Starts, reads and cancels pipelines. The only code outside the processors that touches the queues. */
@Injectable()
export class PipelineService {
  private readonly queues: Queue<StageJobData>[];

  constructor(
    @InjectQueue(QueueName.Preprocess) preprocess: Queue<StageJobData>,
    @InjectQueue(QueueName.Features) features: Queue<StageJobData>,
    @InjectQueue(QueueName.Inference) inference: Queue<StageJobData>,
    @InjectQueue(QueueName.Postprocess) postprocess: Queue<StageJobData>,
    private readonly status: StatusService,
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly workers: WorkerRegistry,
    private readonly quota: HeavyJobQuota,
  ) {
    this.queues = [preprocess, features, inference, postprocess];
  }

  /**
   * `requestId`: the HTTP request (or the video job) that asks; the stages' logs carry it. `client`: who asks
   * over HTTP (a large text counts against its MAX_HEAVY_JOBS_PER_CLIENT); none for a video job's analysis.
   */
  async create(dto: CreatePipelineDto, requestId?: string, client?: string): Promise<PipelineRecord> {
    const max = this.config.env.MAX_TEXT_BYTES;
    const bytes = Buffer.byteLength(dto.text, 'utf8');
    if (bytes > max) throw new BadRequestException(`text is ${bytes} bytes; the limit is ${max} bytes (MAX_TEXT_BYTES)`);
    try {
      checkInput(dto.text, dto.format);
    } catch (err) {
      if (err instanceof InputError) throw new BadRequestException(`text: ${err.message}`);
      throw err;
    }
    const options: AnalysisOptions = { format: dto.format, language: dto.language, maxExpressions: dto.maxExpressions, level: dto.level };
    const id = randomUUID();
    if (bytes > this.config.env.HEAVY_TEXT_BYTES) await this.quota.admit(client, id, `another analysis of more than ${this.config.env.HEAVY_TEXT_BYTES} bytes`);
    const record = await this.status.create('pipeline', id, { ...options }, PIPELINE_STAGES, { message: await waitingFor(this.workers, this.queues[0].name) });
    const { STAGE_RETRIES, STAGE_RETRY_DELAY_MS } = this.config.env;
    await this.queues[0].add(
      { pipelineId: id, requestId, options, textBytes: bytes, submittedAt: Date.now(), input: { text: dto.text } },
      { jobId: stageJobId(id, 1), ...stageJobOptions(STAGE_RETRIES, STAGE_RETRY_DELAY_MS) },
    );
    return record;
  }

  async get(id: string): Promise<PipelineRecord> {
    const record = await this.status.get(id, 'pipeline');
    if (!record) throw new NotFoundException(`pipeline ${id} not found (unknown, or expired after ${this.config.env.STATUS_TTL_SECONDS} s)`);
    return record;
  }

  list(limit: number, status?: JobStatus): Promise<PipelineRecord[]> {
    return this.status.list('pipeline', limit, status);
  }

  /** Revokes a pipeline: no later stage starts, queued jobs go, and the running stage is told to stop. */
  async cancel(id: string): Promise<PipelineRecord> {
    await this.get(id); // 404 for an unknown id, or one of another kind
    const outcome = await this.status.revoke(id, 'cancelled by request');
    if (outcome === 'MISSING') throw new NotFoundException(`pipeline ${id} not found`);
    if (outcome !== 'OK') throw new ConflictException(`pipeline ${id} is already final: ${outcome}`);
    await Promise.all(
      STAGES.map(async (stage) => {
        const job = await this.queues[stage - 1].getJob(stageJobId(id, stage));
        // A waiting or delayed job can go; an active one holds a lock and is stopped by its worker instead.
        if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
      }),
    );
    await this.control.publishCancel(id);
    return this.get(id);
  }
}
