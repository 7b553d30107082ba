import { BadRequestException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AnalysisOptions } from '../analysis/analysis-engine';
import { checkInput } from '../analysis/subtitles';
import { JobStatus } from '../common/enums';
import { InputError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { JobsService } from '../jobs/jobs.service';
import { HeavyJobQuota } from '../security/heavy-jobs';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { PIPELINE_JOB, PipelineRecord } from './pipeline.job';

/** Starts, reads and cancels pipelines. */
@Injectable()
export class PipelineService {
  constructor(
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
    private readonly quota: HeavyJobQuota,
  ) {}

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
    const targetLanguages = dto.targetLanguages ?? [];
    if (targetLanguages.length && this.config.env.LLM_PROVIDER === 'none') {
      throw new BadRequestException(
        'targetLanguages: translations need an LLM provider, and this server has none (LLM_PROVIDER=none); leave targetLanguages out, or ask the operator to set LLM_PROVIDER',
      );
    }
    const options: AnalysisOptions = { format: dto.format, language: dto.language, maxExpressions: dto.maxExpressions, level: dto.level, targetLanguages };
    const id = randomUUID();
    if (bytes > this.config.env.HEAVY_TEXT_BYTES) await this.quota.admit(client, id, `another analysis of more than ${this.config.env.HEAVY_TEXT_BYTES} bytes`);
    return this.jobs.start(PIPELINE_JOB, { id, options: { ...options }, input: { text: dto.text }, requestId, meta: { textBytes: bytes } });
  }

  get(id: string): Promise<PipelineRecord> {
    return this.jobs.get(PIPELINE_JOB, id);
  }

  list(limit: number, status?: JobStatus): Promise<PipelineRecord[]> {
    return this.jobs.list(PIPELINE_JOB, limit, status);
  }

  /** Revokes a pipeline: no later stage starts, queued jobs go, and the running stage is told to stop. */
  cancel(id: string): Promise<PipelineRecord> {
    return this.jobs.cancel(PIPELINE_JOB, id);
  }
}
