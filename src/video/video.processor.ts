import { Logger } from '@nestjs/common';
import { Job, Queue } from 'bull';
import { cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { firstValueFrom, filter, merge, from, take } from 'rxjs';
import { Expression } from '../analysis/analysis.types';
import { InputFormat, isFinalStatus, JobStatus } from '../common/enums';
import { ErrorCode, InputError, PipelineError } from '../common/errors';
import { isRetryable, REDIS_WAIT_MS, settleJobError, untilRedisAnswers } from '../common/job-failure';
import { AppConfig } from '../config/app-config';
import { JobLogContext } from '../logging/job-log-context';
import { isRedisUnavailable } from '../redis/redis-errors';
import { MediaRepository } from '../media/media.repository';
import { VideoInfo } from '../media/media.types';
import { PipelineControl } from '../pipeline/pipeline-control';
import { PipelineService } from '../pipeline/pipeline.service';
import { StatusService } from '../status/status.service';
import { outputFormat } from './ffmpeg-args';
import { InterMetrics } from './font-metrics';
import { episodeDir, OutputKind, safeName } from './render-plan';
import { ExpressionFiles, VideoRenderer } from './video-renderer';
import { jobTempDir, VIDEO_STEPS, VideoStep } from './video.constants';
import { OutputFile, VideoJobData, VideoResult } from './video.types';

/**
 * Bull processor of `video.render`: probe, analysis (the four-stage pipeline), then the ffmpeg steps, each
 * reported in the job's status record. Outputs are built in the job's temp folder and moved under
 * OUTPUT_ROOT only when everything succeeded; the temp folder goes when the job ends, whatever the outcome.
 */
export class VideoProcessor {
  private readonly logger = new Logger(VideoProcessor.name);
  private readonly metrics = new InterMetrics();

  constructor(
    readonly queue: Queue<VideoJobData>,
    private readonly media: MediaRepository,
    private readonly pipelines: PipelineService,
    private readonly status: StatusService,
    private readonly control: PipelineControl,
    private readonly config: AppConfig,
    private readonly logs: JobLogContext,
  ) {}

  start(concurrency: number): void {
    // Bull's promise settles only when the queue closes; failures reach the job, not this call.
    void this.queue.process(concurrency, (job) =>
      this.logs.run(job, { videoId: job.data.videoId }, () =>
        untilRedisAnswers(
          () => this.handle(job),
          () => this.status.whenAvailable(REDIS_WAIT_MS),
          this.logger,
        ),
      ),
    );
  }

  async handle(job: Job<VideoJobData>): Promise<void> {
    const { videoId: id } = job.data;
    const temp = jobTempDir(this.config.env.TEMP_ROOT, id);
    const work = join(temp, 'work');
    const cancel = this.control.track(id);
    // The step under way, for the record of a failure.
    const at = { step: VideoStep.Probe };
    // The temp folder goes before the outcome is recorded: whoever reads SUCCESS or FAILURE finds it gone.
    const cleanUp = (final: boolean) => rm(final ? temp : work, { recursive: true, force: true }).catch(() => undefined);
    try {
      const current = (await this.status.getStatus(id)) ?? JobStatus.Revoked;
      // A failed job retried by hand (the dashboard's Retry) reopens its record; any other final record ends here.
      if (current === JobStatus.Failure && (await this.status.reopen(id))) this.logger.log('failed video job retried by hand: reopened');
      else if (isFinalStatus(current)) return;
      if ((await Promise.all([exists(job.data.videoPath), exists(job.data.subtitlesPath)])).includes(false)) {
        throw new InputError("the job's input files are gone (uploads are removed once a job has failed for good): start a new job");
      }
      await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
      const { result, message } = await this.run(job, work, cancel.signal, at);
      await cleanUp(true);
      await this.step(id, VideoStep.Shorts, { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message }, JobStatus.Success, result);
    } catch (err) {
      const e = cancel.signal.aborted ? new PipelineError(ErrorCode.Cancelled, 'cancelled') : (err as Error);
      if (isRedisUnavailable(e)) {
        // Run again once Redis answers (untilRedisAnswers): the uploads stay, the intermediates go.
        await cleanUp(false);
        throw e;
      }
      const cancelled = e instanceof PipelineError && e.code === ErrorCode.Cancelled;
      // Intermediates go after every attempt; the uploads too once no retry needs them.
      await cleanUp(cancelled || !isRetryable(e) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      await settleJobError(
        job,
        e,
        {
          retrying: (attempt, attempts, error) =>
            this.step(id, at.step, { status: JobStatus.Retry, attempt, error, message: `attempt ${attempt} of ${attempts} failed; retrying` }, JobStatus.Retry),
          failed: (error) => this.step(id, at.step, { status: JobStatus.Failure, error, message: 'failed', finishedAt: new Date() }, JobStatus.Failure),
        },
        this.logger,
        `video ${id}`,
      );
    } finally {
      this.control.untrack(id, cancel);
    }
  }

  /** The job's steps; returns the result for the final record, written once the temp folder is gone. */
  private async run(job: Job<VideoJobData>, work: string, signal: AbortSignal, at: { step: VideoStep }): Promise<{ result: VideoResult; message: string }> {
    const { videoId: id, videoPath, subtitlesPath, options } = job.data;
    const env = this.config.env;
    const attempt = job.attemptsMade + 1;
    const limits = { softTimeLimitMs: env.VIDEO_STEP_SOFT_TIME_LIMIT_MS, hardTimeLimitMs: env.VIDEO_STEP_HARD_TIME_LIMIT_MS, signal };
    let stepStartedAt = Date.now();
    const begin = (step: VideoStep) => {
      at.step = step;
      stepStartedAt = Date.now();
      return this.step(
        id,
        step,
        { status: JobStatus.Started, progress: 0, attempt, startedAt: new Date(), message: 'started' },
        step === VideoStep.Probe ? JobStatus.Started : JobStatus.Progress,
      );
    };
    const progress = (step: VideoStep) => (fraction: number) =>
      void this.step(id, step, { status: JobStatus.Progress, progress: Math.floor(fraction * 99) }, JobStatus.Progress).catch(() => undefined);
    const logDone = (step: VideoStep, message: string) =>
      this.logger.log({ step: VIDEO_STEPS[step - 1].name, durationMs: Date.now() - stepStartedAt }, `step done: ${message}`);
    const finish = (step: VideoStep, message = 'done') => {
      logDone(step, message);
      return this.step(id, step, { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message }, JobStatus.Progress);
    };

    await begin(VideoStep.Probe);
    const info = await this.media.probe(videoPath, signal).catch((err: Error) => {
      throw new InputError(`video: ${err.message}`);
    });
    if (!info.audio) throw new InputError("video: it has no audio track; the learning videos need the scene's sound");
    await finish(VideoStep.Probe, `${Math.round(info.durationMs / 1000)} s, ${info.width}x${info.height}, ${info.audio.layout ?? `${info.audio.channels} ch`}`);

    await begin(VideoStep.Analysis);
    const { analysisId, expressions } = await this.analyse(id, job.data.requestId, subtitlesPath, options, info, signal);
    await this.status.setFields(id, { expressions: JSON.stringify(expressions), analysisId });
    await finish(VideoStep.Analysis, `${expressions.length} expressions`);

    const format = outputFormat(info, env.VIDEO_MAX_HEIGHT, env.VIDEO_PRESET, env.VIDEO_CRF);
    const renderer = new VideoRenderer(this.media, this.metrics, {
      format,
      shortsPreset: env.VIDEO_SHORTS_PRESET,
      paddingMs: env.CONTEXT_PADDING_MS,
      repeat: env.EXPRESSION_REPEAT,
      slideMs: env.SLIDE_MS,
      parallel: env.VIDEO_PARALLEL_EXPRESSIONS,
      limits,
    });
    const items = await renderer.prepare(work, info, expressions);
    const name = `${safeName(options.showName)}_${safeName(options.episodeName)}`;

    await begin(VideoStep.Clips);
    await renderer.cut(videoPath, items, work, options.shorts, progress(VideoStep.Clips));
    await finish(VideoStep.Clips);
    await begin(VideoStep.Slides);
    await renderer.slides(items, work, progress(VideoStep.Slides));
    await finish(VideoStep.Slides);
    await begin(VideoStep.Assembly);
    await renderer.assemble(items, work, progress(VideoStep.Assembly));
    await finish(VideoStep.Assembly);
    await begin(VideoStep.LongForm);
    const long = options.longForm ? await renderer.longForm(items, work, name) : null;
    await finish(VideoStep.LongForm, long ? 'done' : 'skipped');
    await begin(VideoStep.Shorts);
    const shorts = options.shorts ? await renderer.shorts(items, work, name, options.shortsMaxSeconds * 1000, progress(VideoStep.Shorts)) : [];
    const files = await this.publish(work, items, long, shorts, options, signal);
    const message = options.shorts ? `${shorts.length} shorts` : 'skipped';
    logDone(VideoStep.Shorts, message); // recorded by the caller, once the temp folder is gone
    return { result: { video: info, analysisId, expressions, files }, message };
  }

  /** Runs the four-stage pipeline on the subtitles and keeps the expressions whose times fall inside the video. */
  private async analyse(
    id: string,
    requestId: string | undefined,
    subtitlesPath: string,
    options: VideoJobData['options'],
    info: VideoInfo,
    signal: AbortSignal,
  ) {
    const text = await readFile(subtitlesPath, 'utf8');
    const pipeline = await this.pipelines.create(
      { text, format: InputFormat.Auto, language: options.language, maxExpressions: 200, level: options.level },
      requestId,
    );
    this.logger.log({ pipelineId: pipeline.id }, 'analysis pipeline started');
    const stopPipeline = () => void this.pipelines.cancel(pipeline.id).catch(() => undefined);
    signal.addEventListener('abort', stopPipeline);
    try {
      const done = await firstValueFrom(
        merge(from(this.status.get(pipeline.id)), this.status.events(pipeline.id)).pipe(
          filter((e) => !!e && isFinalStatus(e.status)),
          take(1),
        ),
      );
      const record = await this.status.get<{ expressions: Expression[] }>(pipeline.id);
      if (signal.aborted) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
      if (done!.status !== JobStatus.Success || !record?.result)
        throw new InputError(`subtitles: the analysis ended ${done!.status}: ${record?.error ?? 'no result'}`);
      const all = record.result.expressions.filter((e) => e.startMs !== null && e.endMs !== null);
      const inside = all.filter((e) => e.endMs! <= info.durationMs + 500);
      if (!inside.length) {
        const last = Math.max(...all.map((e) => e.endMs!), 0);
        throw new InputError(
          `subtitles do not match the video: ${all.length ? `the expressions are at up to ${Math.round(last / 1000)} s` : 'no timed expression was found'}, the video lasts ${Math.round(info.durationMs / 1000)} s`,
        );
      }
      return { analysisId: pipeline.id, expressions: inside.slice(0, options.maxExpressions) };
    } finally {
      signal.removeEventListener('abort', stopPipeline);
    }
  }

  /** Moves the finished outputs under OUTPUT_ROOT/{show}/{episode}/{language}/ and lists them with their sizes and durations. */
  private async publish(
    work: string,
    items: ExpressionFiles[],
    long: string | null,
    shorts: string[],
    options: VideoJobData['options'],
    signal: AbortSignal,
  ): Promise<OutputFile[]> {
    const root = resolve(this.config.env.OUTPUT_ROOT);
    const dest = episodeDir(root, options.showName, options.episodeName, options.language);
    const outputs: [string, OutputFile['kind']][] = [
      ...items.flatMap((it): [string, OutputKind][] => [
        [it.context, 'clips'],
        [it.clip, 'clips'],
        [it.slidePng, 'slides'],
        [it.slideVideo, 'slides'],
        [it.learning, 'expressions'],
      ]),
      ...(long ? [[long, 'long'] as [string, OutputKind]] : []),
      ...shorts.flatMap((s): [string, OutputFile['kind']][] => [
        [s, 'shorts'],
        [s.replace(/\.mp4$/, '.meta.json'), 'meta'],
      ]),
    ];
    const targets: [string, OutputFile['kind']][] = [];
    for (const [file, kind] of outputs) {
      const target = join(dest, relative(work, file));
      await mkdir(dirname(target), { recursive: true });
      await rename(file, target).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV') throw err;
        await cp(file, target); // TEMP_ROOT on another file system
      });
      targets.push([target, kind]);
    }
    // Durations as ffprobe reads them from the published files, a few probes at a time.
    return mapLimit(targets, 4, async ([target, kind]) => ({
      path: relative(root, target).split('\\').join('/'),
      kind,
      size: (await stat(target)).size,
      durationSec: target.endsWith('.mp4') ? Math.round((await this.media.probe(target, signal)).durationMs) / 1000 : null,
    }));
  }

  private step(id: string, step: VideoStep, patch: Parameters<StatusService['updateStage']>[2], overall: JobStatus, result?: unknown) {
    return this.status.updateStage(id, step, patch, { overall, result });
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
