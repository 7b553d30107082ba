import { Logger } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { JobStatus } from '../common/enums';
import { REDIS_WAIT_MS, settleJobError, untilRedisAnswers } from '../common/job-failure';
import { AppConfig } from '../config/app-config';
import { JobLogContext, LoggedJobData } from '../logging/job-log-context';
import { MediaRepository } from '../media/media.repository';
import { StatusService } from '../status/status.service';
import { slideImageArgs } from './ffmpeg-args';
import { InterMetrics } from './font-metrics';
import { expressionBase } from './render-plan';
import { layoutSlide, SLIDE_BACKGROUND, SlideContent, toDrawTexts } from './slide-composer';
import { OutputFile } from './video.types';

export interface SlidesJobData extends LoggedJobData {
  slidesId: string;
  width: number;
  height: number;
  expressions: SlideContent[];
}

/** Bull processor of `video.slides`: educational slides alone (LangFlix's generate_educational_slides), as PNG files. */
export class SlidesProcessor {
  private readonly logger = new Logger(SlidesProcessor.name);
  private readonly metrics = new InterMetrics();

  constructor(
    readonly queue: Queue<SlidesJobData>,
    private readonly media: MediaRepository,
    private readonly status: StatusService,
    private readonly config: AppConfig,
    private readonly logs: JobLogContext,
  ) {}

  start(concurrency: number): void {
    // Bull's promise settles only when the queue closes; failures reach the job, not this call.
    void this.queue.process(concurrency, (job) =>
      this.logs.run(job, { slidesId: job.data.slidesId }, () =>
        untilRedisAnswers(
          () => this.handle(job),
          () => this.status.whenAvailable(REDIS_WAIT_MS),
          this.logger,
        ),
      ),
    );
  }

  async handle(job: Job<SlidesJobData>): Promise<void> {
    const { slidesId: id, width, height, expressions } = job.data;
    const env = this.config.env;
    const root = resolve(env.OUTPUT_ROOT);
    const dest = join(root, 'slides', id);
    const text = await mkdtemp(join(tmpdir(), 'langflix-slides-'));
    try {
      const started = await this.status.startStage(
        id,
        1,
        { status: JobStatus.Started, progress: 0, attempt: job.attemptsMade + 1, startedAt: new Date() },
        { overall: JobStatus.Started },
      );
      if (started !== 'OK') return; // cancelled, or expired
      await mkdir(dest, { recursive: true });
      const files: OutputFile[] = [];
      for (const [i, e] of expressions.entries()) {
        const out = join(dest, `${expressionBase(i, e.expression)}.png`);
        const texts = await toDrawTexts(layoutSlide(e, width, height, this.metrics), text, `s${i}`);
        await this.media.ffmpeg(slideImageArgs({ width, height }, texts, SLIDE_BACKGROUND, out), {
          softTimeLimitMs: env.VIDEO_STEP_SOFT_TIME_LIMIT_MS,
          hardTimeLimitMs: env.VIDEO_STEP_HARD_TIME_LIMIT_MS,
        });
        files.push({ path: relative(root, out), kind: 'slides', size: (await stat(out)).size, durationSec: null });
        await this.status.updateStage(
          id,
          1,
          { status: JobStatus.Progress, progress: Math.floor(((i + 1) / expressions.length) * 99) },
          { overall: JobStatus.Progress },
        );
      }
      this.logger.log({ files: files.length }, 'slides done');
      await this.status.updateStage(
        id,
        1,
        { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message: `${files.length} slides` },
        { overall: JobStatus.Success, result: { files } },
      );
    } catch (err) {
      await rm(dest, { recursive: true, force: true });
      await settleJobError(
        job,
        err as Error,
        {
          retrying: (attempt, attempts, error) => this.status.updateStage(id, 1, { status: JobStatus.Retry, attempt, error }, { overall: JobStatus.Retry }),
          failed: (error) => this.status.updateStage(id, 1, { status: JobStatus.Failure, error, finishedAt: new Date() }, { overall: JobStatus.Failure }),
        },
        this.logger,
        `slides ${id}`,
      );
    } finally {
      await rm(text, { recursive: true, force: true });
    }
  }
}
