import { InjectQueue } from '@nestjs/bull';
import { BadRequestException, ConflictException, GoneException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkInput } from '../analysis/subtitles';
import { InputFormat, JobStatus, QueueName, isFinalStatus } from '../common/enums';
import { PipelineError } from '../common/errors';
import { checkRoot } from '../common/storage-roots';
import { AppConfig } from '../config/app-config';
import { MediaRepository } from '../media/media.repository';
import { PipelineControl } from '../pipeline/pipeline-control';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { CreateSlidesDto, CreateVideoDto, CreateVideoFromMediaDto } from './dto/create-video.dto';
import { resolveInside } from './safe-path';
import { jobTempDir, SLIDES_STEPS, VIDEO_STEPS, videoJobOptions } from './video.constants';
import { VideoJobData, VideoJobOptions, VideoResult } from './video.types';
import { HeavyJobQuota } from '../security/heavy-jobs';
import { waitingFor, WorkerRegistry } from '../workers/worker-registry';

/** Starts, reads and cancels video and slide jobs. The only code outside the processors that touches their queues. */
@Injectable()
export class VideoService implements OnModuleInit {
  constructor(
    @InjectQueue(QueueName.VideoRender) private readonly videos: Queue<VideoJobData>,
    @InjectQueue(QueueName.SlidesRender) private readonly slides: Queue,
    private readonly status: StatusService,
    private readonly media: MediaRepository,
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly workers: WorkerRegistry,
    private readonly quota: HeavyJobQuota,
  ) {}

  onModuleInit(): void {
    checkRoot('OUTPUT_ROOT', this.config.env.OUTPUT_ROOT);
    checkRoot('TEMP_ROOT', this.config.env.TEMP_ROOT);
  }

  /**
   * A job from uploaded files (already on disk in the job's temp folder). `requestId` (here and below): the
   * HTTP request that asks; the job's logs carry it. `client`: who asks (a video job counts against its
   * MAX_HEAVY_JOBS_PER_CLIENT).
   */
  async createFromUpload(
    id: string,
    videoPath: string | undefined,
    subtitlesPath: string | undefined,
    dto: CreateVideoDto,
    requestId?: string,
    client?: string,
  ): Promise<StatusRecord> {
    if (!videoPath) throw new BadRequestException('video: the form needs a "video" file field');
    if (!subtitlesPath) throw new BadRequestException('subtitles: the form needs a "subtitles" file field (SRT, WebVTT or ASS)');
    await this.validateInputs(videoPath, subtitlesPath);
    return this.enqueue(id, videoPath, subtitlesPath, dto, requestId, client);
  }

  /** A job from files under MEDIA_ROOT; nothing outside it is ever read. */
  async createFromMedia(dto: CreateVideoFromMediaDto, requestId?: string, client?: string): Promise<StatusRecord> {
    const root = this.config.env.MEDIA_ROOT;
    const [video, subtitles] = await Promise.all([resolveInside(root, dto.videoPath), resolveInside(root, dto.subtitlesPath)]);
    if (!video) throw new BadRequestException(`videoPath: "${dto.videoPath}" is not a file under the media root`);
    if (!subtitles) throw new BadRequestException(`subtitlesPath: "${dto.subtitlesPath}" is not a file under the media root`);
    await this.validateInputs(video, subtitles);
    return this.enqueue(randomUUID(), video, subtitles, dto, requestId, client);
  }

  async createSlides(dto: CreateSlidesDto, requestId?: string): Promise<StatusRecord> {
    const id = randomUUID();
    const options = { width: dto.width, height: dto.height, count: dto.expressions.length };
    const record = await this.status.create('slides', id, options, SLIDES_STEPS, { message: await waitingFor(this.workers, this.slides.name) });
    await this.slides.add({ slidesId: id, requestId, width: dto.width, height: dto.height, expressions: dto.expressions }, { jobId: id, ...this.jobOptions() });
    return record;
  }

  async get(id: string, kind: 'video' | 'slides' = 'video'): Promise<StatusRecord<VideoResult>> {
    const record = await this.status.get<VideoResult>(id, kind);
    if (!record) throw new NotFoundException(`${kind === 'video' ? 'video job' : 'slides job'} ${id} not found (unknown, or expired)`);
    return record;
  }

  list(limit: number, status?: JobStatus) {
    return this.status.list('video', limit, status);
  }

  async expressions(id: string) {
    await this.get(id);
    const stored = await this.status.getField(id, 'expressions');
    if (!stored) throw new ConflictException(`video job ${id} has no expressions yet: the analysis step has not finished`);
    return JSON.parse(stored) as unknown[];
  }

  async files(id: string) {
    const record = await this.get(id);
    if (record.status !== JobStatus.Success || !record.result) {
      throw new ConflictException(`video job ${id} is ${record.status}: its files are listed once it is SUCCESS`);
    }
    const gone = await this.status.getField(id, 'filesGone');
    if (gone) throw new GoneException(`the files of video job ${id} were removed (${gone === 'purged' ? 'purged on request' : `by the cleanup at ${gone}`})`);
    return record.result.files;
  }

  /** Cancels a running job (its ffmpeg processes are killed, temp files removed); `purge` removes its outputs too. */
  async cancel(id: string, purge: boolean): Promise<StatusRecord> {
    const record = await this.get(id);
    if (isFinalStatus(record.status)) {
      if (!purge) throw new ConflictException(`video job ${id} is already final: ${record.status}; add ?purge=true to remove its outputs`);
    } else {
      const outcome = await this.status.revoke(id, 'cancelled by request');
      if (outcome === 'OK') {
        const job = await this.videos.getJob(id);
        if (job && !(await job.isActive())) {
          await job.remove().catch(() => undefined);
          await rm(jobTempDir(this.config.env.TEMP_ROOT, id), { recursive: true, force: true });
        }
        await this.control.publishCancel(id);
      }
    }
    if (purge) await this.purge(id);
    return this.get(id);
  }

  private async purge(id: string): Promise<void> {
    const record = await this.get(id);
    const root = resolve(this.config.env.OUTPUT_ROOT);
    for (const f of record.result?.files ?? []) await rm(join(root, f.path), { force: true });
    await this.status.setFields(id, { filesGone: 'purged' });
  }

  private async validateInputs(videoPath: string, subtitlesPath: string): Promise<void> {
    const size = (await stat(subtitlesPath)).size;
    if (size > this.config.env.MAX_SUBTITLE_BYTES) {
      throw new BadRequestException(`subtitles: ${size} bytes; the limit is ${this.config.env.MAX_SUBTITLE_BYTES} bytes (MAX_SUBTITLE_BYTES)`);
    }
    try {
      checkInput(await readFile(subtitlesPath, 'utf8'), InputFormat.Auto);
    } catch (err) {
      throw new BadRequestException(`subtitles: ${(err as Error).message}`);
    }
    try {
      await this.media.probe(videoPath);
    } catch (err) {
      const reason = err instanceof PipelineError ? err.message : String(err);
      throw new BadRequestException(`video: not a video ffmpeg can read (${reason})`);
    }
  }

  private async enqueue(id: string, videoPath: string, subtitlesPath: string, dto: CreateVideoDto, requestId?: string, client?: string): Promise<StatusRecord> {
    await this.quota.admit(client, id, 'another video job');
    const options: VideoJobOptions = {
      showName: dto.showName,
      episodeName: dto.episodeName,
      language: dto.language,
      maxExpressions: dto.maxExpressions,
      level: dto.level,
      longForm: dto.longForm,
      shorts: dto.shorts,
      shortsMaxSeconds: dto.shortsMaxSeconds,
    };
    const record = await this.status.create('video', id, { ...options }, VIDEO_STEPS, { message: await waitingFor(this.workers, this.videos.name) });
    await this.videos.add({ videoId: id, requestId, videoPath, subtitlesPath, options }, { jobId: id, ...this.jobOptions() });
    return record;
  }

  private jobOptions() {
    return videoJobOptions(this.config.env.VIDEO_RETRIES, this.config.env.VIDEO_RETRY_DELAY_MS);
  }
}
