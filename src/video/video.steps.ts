import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Image } from '@napi-rs/canvas';
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { filter, firstValueFrom, from, merge, take } from 'rxjs';
import { Expression } from '../analysis/analysis.types';
import { spokenCues } from '../analysis/subtitles';
import { InputFormat, isFinalStatus, JobStatus } from '../common/enums';
import { ErrorCode, InputError, PipelineError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { JobHandlersRegistry, Settlement, StepContext } from '../jobs/job-handlers';
import { MediaRepository } from '../media/media.repository';
import { VideoInfo } from '../media/media.types';
import { PipelineService } from '../pipeline/pipeline.service';
import { jobTempDir } from '../storage/storage';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { outputFormat } from './ffmpeg-args';
import { episodeDir, safeName } from './output-layout';
import { expressionBase } from './render-plan';
import { CJK_FONT, hasCjkFonts, loadPicture, SlideCanvas } from './slide-canvas';
import { layoutSlide, SLIDE_BACKGROUND, SlideContent } from './slide-composer';
import { LanguageFile, LessonRenderer } from './video-renderer';
import { SLIDES_JOB, VIDEO_JOB } from './video.job';
import { OutputFile, VideoInput, VideoJobOptions, VideoResult } from './video.types';

/** A slides job's input: the slides to draw and their size. */
export interface SlidesInput {
  width: number;
  height: number;
  expressions: SlideContent[];
}

/** What the analysis hands on to the rendering (JSON: a review may come between them, see VIDEO_JOB). */
interface AnalysedEpisode extends VideoInput {
  work: string;
  info: VideoInfo;
  analysisId: string;
  /** The expressions to teach: the analysis's, or the reviewed list. */
  expressions: Expression[];
  /** Set by a review: `expressions` are in the order to teach; otherwise lessons follow the episode. */
  reviewed?: boolean;
}

/**
 * What the rendering steps hand on to one another. They run in one process, one after the other (one Bull
 * job), so the state stays in memory; the last step's output is the record's result.
 */
interface VideoWork extends AnalysedEpisode {
  renderer: LessonRenderer;
  /** The finished outputs so far, in the work folder. */
  outputs: LanguageFile[];
}

/** The output languages of a video job: its target languages, or English alone. */
export const languagesOf = (o: VideoJobOptions) => (o.targetLanguages?.length ? o.targetLanguages : ['en']);
/** Where a video job's outputs in one language go: OUTPUT_ROOT/{show}/{episode}/{language}. */
const episodeOf = (root: string, o: VideoJobOptions, language: string) => episodeDir(root, o.showName, o.episodeName, language);
const slidesDirOf = (root: string, id: string) => join(root, 'slides', id);

/**
 * What every role knows of video and slide records' files: the folders a job that is not final holds and the
 * outputs of one that finished (for the cleanup), and what goes when a job still queued is cancelled.
 */
@Injectable()
export class VideoJobFiles implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlersRegistry,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const outputs = (record: StatusRecord) => ((record.result as { files?: OutputFile[] } | null)?.files ?? []).map((f) => f.path);
    this.registry.register({
      kind: VIDEO_JOB,
      // Its uploads: no step will run to use them.
      cancelled: (id) => rm(jobTempDir(this.config.env.TEMP_ROOT, id), { recursive: true, force: true }),
      facts: {
        held: (record) => {
          const o = record.options as unknown as VideoJobOptions;
          return { tempDirs: [record.id], outputDirs: languagesOf(o).map((l) => episodeOf('', o, l).replace(/^\//, '')) };
        },
        outputs,
      },
    });
    this.registry.register({ kind: SLIDES_JOB, facts: { held: (record) => ({ tempDirs: [], outputDirs: [`slides/${record.id}`] }), outputs } });
  }
}

/**
 * The steps of a video job (probe, analysis by the four-stage pipeline, then the ffmpeg steps) and of a
 * slides job, for the job runner (worker roles). Outputs are built in the job's temp folder and moved under
 * OUTPUT_ROOT only when everything succeeded; the temp folder goes when the job ends, whatever the outcome.
 */
@Injectable()
export class VideoSteps implements OnModuleInit {
  private readonly logger = new Logger(VideoSteps.name);
  private readonly canvas = new SlideCanvas();

  constructor(
    private readonly registry: JobHandlersRegistry,
    private readonly media: MediaRepository,
    private readonly pipelines: PipelineService,
    private readonly status: StatusService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!hasCjkFonts()) {
      this.logger.warn(`no CJK fonts (${CJK_FONT}): Chinese, Japanese and Korean lines of the slides would be boxes; install Debian's fonts-noto-cjk`);
    }
    const temp = (id: string) => jobTempDir(this.config.env.TEMP_ROOT, id);
    this.registry.register({
      kind: VIDEO_JOB,
      steps: {
        probe: (input: VideoInput, ctx) => this.probe(input, ctx),
        analysis: (w: AnalysedEpisode, ctx) => this.analysis(w, ctx),
        clips: async (episode: AnalysedEpisode, ctx) => {
          const w = await this.startRendering(episode, ctx);
          await w.renderer.scenes(w.videoPath, (f) => ctx.progress(f));
          ctx.message = `${w.renderer.plan.scenes.length} scenes`;
          return w;
        },
        slides: async (w: VideoWork, ctx) => {
          await w.renderer.stills((f) => ctx.progress(f));
          return w;
        },
        assembly: async (w: VideoWork, ctx) => {
          w.outputs = await w.renderer.learning((f) => ctx.progress(f));
          return w;
        },
        'long-form': async (w: VideoWork, ctx) => {
          if (options(ctx).longForm) w.outputs.push(...(await w.renderer.longForm()));
          else ctx.message = 'skipped';
          return w;
        },
        shorts: (w: VideoWork, ctx) => this.shortsAndPublish(w, ctx),
      },
      prepare: async (ctx, input) => {
        const { videoPath, subtitlesPath } = input as VideoInput;
        if ((await Promise.all([exists(videoPath), exists(subtitlesPath)])).includes(false)) {
          throw new InputError("the job's input files are gone (uploads are removed once a job has failed for good): start a new job");
        }
        const work = join(temp(ctx.recordId), 'work');
        await rm(work, { recursive: true, force: true });
        await mkdir(work, { recursive: true });
      },
      review: (ctx) => (options(ctx).review ? `waiting for review: keep, drop or edit the expressions, then POST /api/v1/videos/${ctx.recordId}/render` : null),
      // Intermediates go after every attempt; the uploads too once no attempt needs them.
      settle: ({ recordId, final }: Settlement) => rm(final ? temp(recordId) : join(temp(recordId), 'work'), { recursive: true, force: true }),
      abandon: () => this.media.killAll(),
    });
    this.registry.register({
      kind: SLIDES_JOB,
      steps: { render: (input: SlidesInput, ctx) => this.renderSlides(input, ctx) },
      // A slides job that did not succeed leaves no partial set behind.
      settle: async ({ recordId, outcome }) => {
        if (outcome !== 'success') await rm(slidesDirOf(resolve(this.config.env.OUTPUT_ROOT), recordId), { recursive: true, force: true });
      },
      abandon: () => this.media.killAll(),
    });
  }

  private limits(signal: AbortSignal) {
    const env = this.config.env;
    return { softTimeLimitMs: env.VIDEO_STEP_SOFT_TIME_LIMIT_MS, hardTimeLimitMs: env.VIDEO_STEP_HARD_TIME_LIMIT_MS, signal };
  }

  private async probe(input: VideoInput, ctx: StepContext): Promise<Partial<AnalysedEpisode>> {
    const info = await this.media.probe(input.videoPath, ctx.signal).catch((err: Error) => {
      throw new InputError(`video: ${err.message}`);
    });
    if (!info.audio) throw new InputError("video: it has no audio track; the learning videos need the scene's sound");
    ctx.message = `${Math.round(info.durationMs / 1000)} s, ${info.width}x${info.height}, ${info.audio.layout ?? `${info.audio.channels} ch`}`;
    return { ...input, work: join(jobTempDir(this.config.env.TEMP_ROOT, ctx.recordId), 'work'), info };
  }

  /** Runs the four-stage pipeline on the subtitles and keeps the expressions whose times fall inside the video. */
  private async analysis(w: AnalysedEpisode, ctx: StepContext): Promise<AnalysedEpisode> {
    const o = options(ctx);
    const text = await readFile(w.subtitlesPath, 'utf8');
    // Twice what the job keeps, in case some fall outside the video; the enrich stage (an LLM) translates these only.
    const pipeline = await this.pipelines.create(
      {
        text,
        format: InputFormat.Auto,
        language: o.language,
        maxExpressions: Math.min(200, o.maxExpressions * 2),
        level: o.level,
        targetLanguages: o.targetLanguages ?? [],
      },
      ctx.requestId,
    );
    this.logger.log({ pipelineId: pipeline.id }, 'analysis pipeline started');
    const stopPipeline = () => void this.pipelines.cancel(pipeline.id).catch(() => undefined);
    ctx.signal.addEventListener('abort', stopPipeline);
    try {
      const done = await firstValueFrom(
        merge(from(this.status.get(pipeline.id)), this.status.events(pipeline.id)).pipe(
          filter((e) => !!e && isFinalStatus(e.status)),
          take(1),
        ),
      );
      const record = await this.status.get<{ expressions: Expression[] }>(pipeline.id);
      if (ctx.signal.aborted) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
      if (done!.status !== JobStatus.Success || !record?.result)
        throw new InputError(`subtitles: the analysis ended ${done!.status}: ${record?.error ?? 'no result'}`);
      const all = record.result.expressions.filter((e) => e.startMs !== null && e.endMs !== null);
      const inside = all.filter((e) => e.endMs! <= w.info.durationMs + 500);
      if (!inside.length) {
        const last = Math.max(...all.map((e) => e.endMs!), 0);
        throw new InputError(
          `subtitles do not match the video: ${all.length ? `the expressions are at up to ${Math.round(last / 1000)} s` : 'no timed expression was found'}, the video lasts ${Math.round(w.info.durationMs / 1000)} s`,
        );
      }
      const expressions = inside.slice(0, o.maxExpressions);
      await ctx.setFields({ expressions: JSON.stringify(expressions), analysisId: pipeline.id });
      ctx.message = `${expressions.length} expressions`;
      return { ...w, analysisId: pipeline.id, expressions };
    } finally {
      ctx.signal.removeEventListener('abort', stopPipeline);
    }
  }

  /** The first rendering step: the lessons planned (scenes from the subtitles' cues) and the work folders made. */
  private async startRendering(w: AnalysedEpisode, ctx: StepContext): Promise<VideoWork> {
    const o = options(ctx);
    const env = this.config.env;
    const renderer = new LessonRenderer(
      this.media,
      this.canvas,
      {
        format: outputFormat(w.info, env.VIDEO_MAX_HEIGHT, env.VIDEO_PRESET, env.VIDEO_CRF),
        shortsPreset: env.VIDEO_SHORTS_PRESET,
        plan: {
          scene: { breakMs: env.SCENE_BREAK_MS, minMs: env.SCENE_MIN_MS, maxMs: env.SCENE_MAX_MS, tailMs: 400 },
          repeat: env.EXPRESSION_REPEAT,
          slideMs: env.SLIDE_MS,
          cardMs: env.TITLE_CARD_MS,
        },
        loudnessLufs: env.LOUDNESS_TARGET_LUFS,
        parallel: env.VIDEO_PARALLEL_EXPRESSIONS,
        logo: await this.logo(),
        limits: this.limits(ctx.signal),
      },
      w.work,
      {
        show: o.showName,
        episode: o.episodeName,
        name: outputName(o),
        languages: languagesOf(o),
        longForm: o.longForm,
        shorts: o.shorts,
        shortsMode: o.shortsMode ?? 'single',
        shortsMaxMs: o.shortsMaxSeconds * 1000,
        givenOrder: w.reviewed === true,
      },
      spokenCues(await readFile(w.subtitlesPath, 'utf8')),
      w.expressions,
      w.info.durationMs,
    );
    await renderer.makeFolders();
    return { ...w, renderer, outputs: [] };
  }

  /** The last step: the shorts, then everything is published; its output is the record's result. */
  private async shortsAndPublish(w: VideoWork, ctx: StepContext): Promise<VideoResult> {
    const o = options(ctx);
    if (o.shorts) w.outputs.push(...(await w.renderer.shorts((f) => ctx.progress(f))));
    const files = await this.publish(w, o, ctx.signal);
    ctx.message = o.shorts ? `${files.filter((f) => f.kind === 'shorts').length} shorts` : 'skipped';
    return { video: w.info, analysisId: w.analysisId, expressions: w.expressions, files };
  }

  /** Moves the finished outputs under OUTPUT_ROOT/{show}/{episode}/{language}/ and lists them with their sizes and durations. */
  private async publish(w: VideoWork, o: VideoJobOptions, signal: AbortSignal): Promise<OutputFile[]> {
    const root = resolve(this.config.env.OUTPUT_ROOT);
    const targets: [string, LanguageFile][] = [];
    for (const output of w.outputs) {
      // work/{lang}/{kind}/{file}
      const target = join(episodeOf(root, o, output.language), ...relative(join(w.work, output.language), output.file).split(/[\\/]/));
      await mkdir(dirname(target), { recursive: true });
      await moveFile(output.file, target);
      targets.push([target, output]);
    }
    // Durations as ffprobe reads them from the published files, a few probes at a time.
    return mapLimit(targets, 4, async ([target, { kind, language }]) => ({
      path: relative(root, target).split('\\').join('/'),
      kind,
      language,
      size: (await stat(target)).size,
      durationSec: target.endsWith('.mp4') ? Math.round((await this.media.probe(target, signal)).durationMs) / 1000 : null,
    }));
  }

  /** The creator's logo (LOGO_PATH), read once. */
  private logoImage: Promise<Image | null> | null = null;
  private logo(): Promise<Image | null> {
    const path = this.config.env.LOGO_PATH;
    this.logoImage ??= path ? loadPicture(path) : Promise.resolve(null);
    return this.logoImage;
  }

  /** Educational slides alone (LangFlix's generate_educational_slides), as PNG files under OUTPUT_ROOT/slides/{id}. */
  private async renderSlides({ width, height, expressions }: SlidesInput, ctx: StepContext): Promise<{ files: OutputFile[] }> {
    const root = resolve(this.config.env.OUTPUT_ROOT);
    const dest = slidesDirOf(root, ctx.recordId);
    await mkdir(dest, { recursive: true });
    const files: OutputFile[] = [];
    for (const [i, e] of expressions.entries()) {
      if (ctx.signal.aborted) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
      const out = join(dest, `${expressionBase(i, e.expression)}.png`);
      await writeFile(out, this.canvas.png(layoutSlide(e, width, height, this.canvas), width, height, SLIDE_BACKGROUND));
      files.push({ path: relative(root, out), kind: 'slides', language: null, size: (await stat(out)).size, durationSec: null });
      ctx.progress((i + 1) / expressions.length);
    }
    ctx.message = `${files.length} slides`;
    return { files };
  }
}

const options = (ctx: StepContext) => ctx.options as unknown as VideoJobOptions;
const outputName = (o: VideoJobOptions) => `${safeName(o.showName)}_${safeName(o.episodeName)}`;

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

/** Moves a work file where it is published (copied when TEMP_ROOT is on another file system). */
async function moveFile(file: string, target: string): Promise<void> {
  await rename(file, target).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EXDEV') throw err;
    await cp(file, target);
  });
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
