import { BadRequestException, ConflictException, GoneException, Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Expression } from '../analysis/analysis.types';
import { checkInput } from '../analysis/subtitles';
import { InputFormat, JobStatus, isFinalStatus } from '../common/enums';
import { PipelineError } from '../common/errors';
import { checkRoot } from '../common/storage-roots';
import { AppConfig } from '../config/app-config';
import { JobsService } from '../jobs/jobs.service';
import { MediaRepository } from '../media/media.repository';
import { HeavyJobQuota } from '../security/heavy-jobs';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { CreateSlidesDto, CreateVideoDto, CreateVideoFromMediaDto } from './dto/create-video.dto';
import { RenderVideoDto } from './dto/render-video.dto';
import { jobTempDir } from '../storage/storage';
import { resolveInside } from './safe-path';
import { SLIDES_JOB, VIDEO_JOB } from './video.job';
import { SlidesInput } from './video.steps';
import { VideoInput, VideoJobOptions, VideoResult } from './video.types';

/** Starts, reads and cancels video and slide jobs (through the job platform), and answers for their files. */
@Injectable()
export class VideoService implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly status: StatusService,
    private readonly media: MediaRepository,
    private readonly config: AppConfig,
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
    this.checkLanguages(dto);
    await this.validateInputs(videoPath, subtitlesPath);
    return this.enqueue(id, videoPath, subtitlesPath, dto, requestId, client);
  }

  /** A job from files under MEDIA_ROOT; nothing outside it is ever read. */
  async createFromMedia(dto: CreateVideoFromMediaDto, requestId?: string, client?: string): Promise<StatusRecord> {
    const root = this.config.env.MEDIA_ROOT;
    const [video, subtitles] = await Promise.all([resolveInside(root, dto.videoPath), resolveInside(root, dto.subtitlesPath)]);
    if (!video) throw new BadRequestException(`videoPath: "${dto.videoPath}" is not a file under the media root`);
    if (!subtitles) throw new BadRequestException(`subtitlesPath: "${dto.subtitlesPath}" is not a file under the media root`);
    this.checkLanguages(dto);
    await this.validateInputs(video, subtitles);
    return this.enqueue(randomUUID(), video, subtitles, dto, requestId, client);
  }

  async createSlides(dto: CreateSlidesDto, requestId?: string): Promise<StatusRecord> {
    const input: SlidesInput = { width: dto.width, height: dto.height, expressions: dto.expressions };
    return this.jobs.start(SLIDES_JOB, { options: { width: dto.width, height: dto.height, count: dto.expressions.length }, input, requestId });
  }

  get(id: string, kind: 'video' | 'slides' = 'video'): Promise<StatusRecord<VideoResult>> {
    return kind === 'video' ? this.jobs.get(VIDEO_JOB, id, 'video job') : this.jobs.get(SLIDES_JOB, id, 'slides job');
  }

  list(limit: number, status?: JobStatus) {
    return this.jobs.list(VIDEO_JOB, limit, status);
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

  /**
   * Renders a job waiting for review with exactly the reviewed list: expressions of its analysis only (by
   * name, each once, in the order given), with the creator's definitions and translations where given.
   */
  async render(id: string, dto: RenderVideoDto): Promise<StatusRecord> {
    const record = await this.get(id).catch((err: unknown) => {
      if (!(err instanceof NotFoundException)) throw err;
      throw new NotFoundException(`video job ${id} not found (unknown, or its review expired: a job waits ${this.config.env.REVIEW_TTL_SECONDS} s for review)`);
    });
    if (record.status !== JobStatus.Review) {
      throw new ConflictException(
        `video job ${id} is ${record.status}, not waiting for review: only a job created with review: true is rendered this way, once, after its analysis`,
      );
    }
    const analysed = JSON.parse((await this.status.getField(id, 'expressions')) ?? '[]') as Expression[];
    const byName = new Map(analysed.map((e) => [e.expression.toLowerCase(), e]));
    const names = dto.expressions.map((x) => x.expression.trim().toLowerCase());
    const unknown = dto.expressions.filter((_, i) => !byName.has(names[i])).map((x) => `"${x.expression}"`);
    if (unknown.length) {
      throw new BadRequestException(
        `expressions not in the analysis of video job ${id}: ${unknown.join(', ')}; send expressions listed by GET /api/v1/videos/${id}/expressions`,
      );
    }
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length) throw new BadRequestException(`expressions listed twice: ${[...new Set(twice)].map((n) => `"${n}"`).join(', ')}; list each once`);
    const languages = (record.options as unknown as VideoJobOptions).targetLanguages ?? [];
    const reviewed = dto.expressions.map((x, i): Expression => {
      const e = this.pickUse(byName.get(names[i])!, x.startMs);
      const translations = { ...(e.translations ?? {}) };
      for (const t of x.translations ?? []) {
        if (!languages.includes(t.language)) {
          throw new BadRequestException(
            `translations of "${x.expression}": "${t.language}" is not a target language of this job (${languages.join(', ') || 'it has none'})`,
          );
        }
        const before = translations[t.language] ?? { expression: '', definition: '', example: '' };
        translations[t.language] = {
          expression: t.expression ?? before.expression,
          definition: t.definition ?? before.definition,
          example: t.example ?? before.example,
        };
      }
      return { ...e, ...(x.definition ? { definition: x.definition } : {}), ...(Object.keys(translations).length ? { translations } : {}) };
    });
    return this.jobs.resume(
      VIDEO_JOB,
      id,
      { field: 'expressions', value: JSON.stringify(reviewed) },
      (kept) => ({ ...(kept as object), expressions: reviewed, reviewed: true }),
      'video job',
      `reviewed: ${reviewed.length} of ${analysed.length} expressions kept, in the order to teach`,
    );
  }

  /**
   * The uploaded episode of a job waiting for review, for the reviewer to play the seconds around each
   * expression: its file and the root it lies under (the job's folder, or MEDIA_ROOT).
   */
  async source(id: string): Promise<{ root: string; file: string }> {
    const record = await this.get(id);
    const kept = record.status === JobStatus.Review ? await this.status.getField(id, 'resume') : null;
    if (!kept) throw new ConflictException(`video job ${id} is ${record.status}: its source is served while it waits for review`);
    const file = (JSON.parse(kept) as { input: VideoInput }).input.videoPath;
    const env = this.config.env;
    const root = [jobTempDir(env.TEMP_ROOT, id), env.MEDIA_ROOT].find((r) => file.startsWith(`${r}/`));
    const there = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!root || !there) throw new GoneException(`the source of video job ${id} is gone`);
    return { root, file };
  }

  /**
   * The expression shown on another of its uses (one of its otherUses, by start time): that line, its words,
   * times and sense; the translated example, which was of the other line, is left out unless edited.
   */
  private pickUse(e: Expression, startMs: number | undefined): Expression {
    if (startMs === undefined || startMs === e.startMs) return e;
    const use = e.otherUses?.find((u) => u.startMs === startMs);
    if (!use) {
      const known = [e.startMs, ...(e.otherUses ?? []).map((u) => u.startMs)].join(', ');
      throw new BadRequestException(`"${e.expression}" has no use starting at ${startMs} ms: pick the startMs of one of its uses (${known})`);
    }
    const before = { example: e.example, matched: e.matched, startMs: e.startMs, endMs: e.endMs, definition: e.definition };
    const translations = e.translations && Object.fromEntries(Object.entries(e.translations).map(([l, t]) => [l, { ...t, example: '' }]));
    return {
      ...e,
      ...use,
      otherUses: [before, ...(e.otherUses ?? []).filter((u) => u !== use)],
      ...(translations ? { translations } : {}),
    };
  }

  /** Cancels a running job (its ffmpeg processes are killed, temp files removed); `purge` removes its outputs too. */
  async cancel(id: string, purge: boolean): Promise<StatusRecord> {
    const record = await this.get(id);
    if (isFinalStatus(record.status)) {
      if (!purge) throw new ConflictException(`video job ${id} is already final: ${record.status}; add ?purge=true to remove its outputs`);
    } else {
      // Finished meanwhile: only a purge has something left to do.
      await this.jobs.cancel(VIDEO_JOB, id, 'video job').catch((err: unknown) => {
        if (!(err instanceof ConflictException)) throw err;
      });
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

  private checkLanguages(dto: CreateVideoDto): void {
    if (dto.targetLanguages?.length && this.config.env.LLM_PROVIDER === 'none') {
      throw new BadRequestException(
        'targetLanguages: translations need an LLM provider, and this server has none (LLM_PROVIDER=none); leave targetLanguages out, or ask the operator to set LLM_PROVIDER',
      );
    }
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
      shortsMode: dto.shortsMode ?? 'single',
      review: dto.review ?? false,
      targetLanguages: dto.targetLanguages ?? [],
    };
    const input: VideoInput = { videoPath, subtitlesPath };
    return this.jobs.start(VIDEO_JOB, { id, options: { ...options }, input, requestId });
  }
}
