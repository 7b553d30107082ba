import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Expression } from '../analysis/analysis.types';
import { MediaRepository } from '../media/media.repository';
import { RunOptions, VideoInfo } from '../media/media.types';
import { concatArgs, concatList, CutPlan, cutArgs, expressionClipArgs, OutputFormat, SHORT_WIDTH, slideVideoArgs } from './ffmpeg-args';
import { batchByDuration, ClipWindow, clipWindow, expressionBase } from './render-plan';
import { SlideCanvas } from './slide-canvas';
import { layoutShort, layoutSlide, SLIDE_BACKGROUND, SlideContent, toDrawTexts } from './slide-composer';
import { FontMetrics } from './slide-layout';
import { ShortMeta } from './video.types';

export interface RenderSettings {
  format: OutputFormat;
  shortsPreset: string;
  paddingMs: number;
  repeat: number;
  slideMs: number;
  parallel: number;
  limits: Pick<RunOptions, 'softTimeLimitMs' | 'hardTimeLimitMs' | 'signal'>;
}

/** One expression's lesson in one language: its slide (picture and segment) and its learning video. */
export interface LessonFiles {
  slidePng: string;
  slideVideo: string;
  learning: string;
}

/**
 * One expression's files, as the steps produce them (under the job's work folder): the clips, cut once
 * whatever the languages, and a lesson per output language (`work/{lang}/…`).
 */
export interface ExpressionFiles {
  expression: Expression;
  base: string;
  window: ClipWindow;
  context: string;
  clip: string;
  vertical: string | null;
  lessons: Record<string, LessonFiles>;
}

/** What a slide shows in a language: the expression, and its translation when the language is not English. */
export function slideContentOf(e: Expression, language: string): SlideContent {
  return { ...e, translation: e.translations?.[language], similar: e.similar };
}

/**
 * The ffmpeg work of a video job, step by step, each expression's work in parallel up to `parallel`.
 * Everything is written under `out` (the job's work folder); the caller publishes it when all went well.
 */
export class VideoRenderer {
  constructor(
    private readonly media: MediaRepository,
    /** Widths of the shorts' texts, drawn by ffmpeg's drawtext with Inter. */
    private readonly metrics: FontMetrics,
    /** The slides' pictures, measured and drawn by one engine. */
    private readonly canvas: SlideCanvas,
    private readonly s: RenderSettings,
  ) {}

  /** `languages`: the output languages, a folder each (work/{lang}); the clips are shared. */
  async prepare(out: string, source: VideoInfo, expressions: Expression[], languages: string[]): Promise<ExpressionFiles[]> {
    for (const dir of ['clips', 'shorts', 'text']) await mkdir(join(out, dir), { recursive: true });
    for (const l of languages) for (const dir of ['slides', 'expressions', 'long', 'shorts']) await mkdir(join(out, l, dir), { recursive: true });
    return expressions.map((expression, i) => {
      const base = expressionBase(i, expression.expression);
      return {
        expression,
        base,
        window: clipWindow(expression.startMs!, expression.endMs!, source.durationMs, this.s.paddingMs),
        context: join(out, 'clips', `${base}.context.mp4`),
        clip: join(out, 'clips', `${base}.expression.mp4`),
        vertical: null,
        lessons: Object.fromEntries(
          languages.map((l) => [
            l,
            {
              slidePng: join(out, l, 'slides', `${base}.png`),
              slideVideo: join(out, l, 'slides', `${base}.mp4`),
              learning: join(out, l, 'expressions', `${base}.mp4`),
            },
          ]),
        ),
      };
    });
  }

  /** Step "clips": the context clip and the 9:16 segment from one decode, then the expression clip copied out of the context clip. */
  async cut(source: string, items: ExpressionFiles[], out: string, shorts: boolean, progress: (f: number) => void): Promise<void> {
    const f = this.s.format;
    const pictureHeight = Math.round((SHORT_WIDTH * f.height) / f.width / 2) * 2;
    await this.each(items, progress, async (it, limits) => {
      const vertical = shorts ? join(out, 'shorts', `${it.base}.segment.mp4`) : null;
      const texts = vertical ? await toDrawTexts(layoutShort(it.expression, pictureHeight, this.metrics), join(out, 'text'), `${it.base}-short`) : [];
      const plan: CutPlan = {
        source,
        ...it.window,
        format: f,
        contextOut: it.context,
        expressionOut: it.clip,
        vertical: vertical ? { out: vertical, texts, preset: this.s.shortsPreset } : undefined,
      };
      await this.media.ffmpeg(cutArgs(plan), { ...limits, durationMs: it.window.contextDurationMs });
      await this.media.ffmpeg(expressionClipArgs(plan), { ...limits, durationMs: it.window.expressionDurationMs });
      it.vertical = vertical;
    });
  }

  /** Step "slides": each language's slide picture (canvas), then the slide as a segment with the expression's audio under it. */
  async slides(items: ExpressionFiles[], progress: (f: number) => void): Promise<void> {
    const f = this.s.format;
    await this.each(items, progress, async (it, limits) => {
      const seconds = Math.max(this.s.slideMs, it.window.expressionDurationMs + 500) / 1000;
      for (const [language, lesson] of Object.entries(it.lessons)) {
        const runs = layoutSlide(slideContentOf(it.expression, language), f.width, f.height, this.canvas);
        await writeFile(lesson.slidePng, this.canvas.png(runs, f.width, f.height, SLIDE_BACKGROUND));
        await this.media.ffmpeg(slideVideoArgs(f, lesson.slidePng, it.clip, seconds, lesson.slideVideo), { ...limits, durationMs: seconds * 1000 });
      }
    });
  }

  /** Step "assembly": per language, context, the expression `repeat` times, then the slide, joined by stream copy. */
  async assemble(items: ExpressionFiles[], out: string, progress: (f: number) => void): Promise<void> {
    await this.each(items, progress, async (it, limits) => {
      for (const [language, lesson] of Object.entries(it.lessons)) {
        const parts = [it.context, ...Array<string>(this.s.repeat).fill(it.clip), lesson.slideVideo];
        await this.concat(parts, join(out, 'text', `${it.base}.${language}.concat.txt`), lesson.learning, limits);
      }
    });
  }

  /** Step "long-form": every learning video of a language, in order, by stream copy. */
  async longForm(items: ExpressionFiles[], out: string, name: string, language: string): Promise<string> {
    const file = join(out, language, 'long', `${name}.mp4`);
    await this.concat(
      items.map((it) => it.lessons[language].learning),
      join(out, 'text', `long.${language}.concat.txt`),
      file,
    );
    return file;
  }

  /** Step "shorts": the 9:16 segments batched to at most `maxMs` each, with a .meta.json beside every short, per language. */
  async shorts(items: ExpressionFiles[], out: string, name: string, maxMs: number, language: string, progress: (f: number) => void): Promise<string[]> {
    const batches = batchByDuration(
      items.map((it) => it.window.contextDurationMs),
      maxMs,
    );
    const files: string[] = [];
    for (const [b, batch] of batches.entries()) {
      const file = join(out, language, 'shorts', `${name}_short${String(b + 1).padStart(2, '0')}.mp4`);
      const members = batch.map((i) => items[i]);
      await this.concat(
        members.map((it) => it.vertical!),
        join(out, 'text', `short${b}.${language}.concat.txt`),
        file,
      );
      let offset = 0;
      const meta: ShortMeta = {
        file: file.split('/').pop()!,
        durationSec: members.reduce((t, it) => t + it.window.contextDurationMs, 0) / 1000,
        expressions: members.map((it) => {
          const entry = {
            expression: it.expression.expression,
            definition: it.expression.definition,
            ...(it.expression.translations?.[language] ? { translation: it.expression.translations[language] } : {}),
            sourceStartMs: it.window.contextStartMs,
            sourceEndMs: it.window.contextStartMs + it.window.contextDurationMs,
            offsetSec: offset / 1000,
            durationSec: it.window.contextDurationMs / 1000,
          };
          offset += it.window.contextDurationMs;
          return entry;
        }),
      };
      await writeFile(file.replace(/\.mp4$/, '.meta.json'), JSON.stringify(meta, null, 2));
      files.push(file);
      progress((b + 1) / batches.length);
    }
    return files;
  }

  private async concat(parts: string[], listFile: string, out: string, limits: RunLimits = this.s.limits): Promise<void> {
    await writeFile(listFile, concatList(parts));
    await this.media.ffmpeg(concatArgs(listFile, out), limits);
  }

  /**
   * Runs `work` for every item, `parallel` at a time. The first failure kills the siblings' ffmpeg runs and
   * takes no new item; this settles only once every run has ended, so nothing writes after it.
   */
  private async each(items: ExpressionFiles[], progress: (f: number) => void, work: (it: ExpressionFiles, limits: RunLimits) => Promise<void>): Promise<void> {
    const stop = new AbortController();
    const parent = this.s.limits.signal;
    const onParentAbort = () => stop.abort();
    parent?.addEventListener('abort', onParentAbort);
    const limits: RunLimits = { ...this.s.limits, signal: stop.signal };
    let next = 0;
    let done = 0;
    let failure: unknown = null;
    const lane = async () => {
      while (next < items.length && !failure) {
        const it = items[next++];
        try {
          await work(it, limits);
          progress(++done / items.length);
        } catch (err) {
          // A sibling killed because of this failure reports "cancelled": keep the first, real error.
          failure ??= err;
          stop.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.s.parallel, items.length) }, lane));
    parent?.removeEventListener('abort', onParentAbort);
    if (failure) throw parent?.aborted ? (parent.reason ?? failure) : failure;
  }
}

type RunLimits = RenderSettings['limits'];
