import { Image } from '@napi-rs/canvas';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Expression } from '../analysis/analysis.types';
import { gainFilter, gainTo, LOUDNESS_TOLERANCE_LU } from '../media/loudness';
import { MediaRepository } from '../media/media.repository';
import { RunOptions } from '../media/media.types';
import {
  audioFilterArgs,
  audioJoinArgs,
  chaptersFile,
  concatList,
  msOfFrames,
  muxArgs,
  OutputFormat,
  rateText,
  sceneArgs,
  SHORT_HEIGHT,
  SHORT_WIDTH,
  stillArgs,
} from './ffmpeg-args';
import { LessonPlan, lessonParts, Part, Plan, PlanSettings, planLessons, sceneSubtitles, segmentsBetween, segmentsOf } from './lesson-plan';
import { TimedCue } from './scenes';
import { INTER_FILES, Picture, SlideCanvas } from './slide-canvas';
import { counterOf, layoutShortTitle, layoutSlide, layoutTitleCard, layoutVerticalSlide, SHORT_LAYOUT, SLIDE_BACKGROUND, SlideContent } from './slide-composer';
import { subtitleDocument } from './subtitle-track';
import { ShortMeta, ShortPart, ShortsMode } from './video.types';

export interface RenderSettings {
  format: OutputFormat;
  shortsPreset: string;
  plan: Omit<PlanSettings, 'rate' | 'shortsMaxMs'>;
  /** EBU R128 integrated loudness of every output. */
  loudnessLufs: number;
  parallel: number;
  /** The creator's logo, top right of the shorts. */
  logo: Image | null;
  limits: Pick<RunOptions, 'softTimeLimitMs' | 'hardTimeLimitMs' | 'signal'>;
}

/** What the job asked for. */
export interface RenderRequest {
  show: string;
  episode: string;
  /** `{show}_{episode}`, safe for file names. */
  name: string;
  languages: string[];
  longForm: boolean;
  shorts: boolean;
  shortsMode: ShortsMode;
  shortsMaxMs: number;
  /** The lessons in the order the expressions are given (a review's), instead of the episode's. */
  givenOrder: boolean;
}

/** A finished output of one language. */
export interface LanguageFile {
  language: string;
  file: string;
  kind: 'slides' | 'expressions' | 'long' | 'shorts' | 'meta';
}

/** What a slide shows in a language: the expression, and its translation when the language is not English. */
export function slideContentOf(e: Expression, language: string): SlideContent {
  return { ...e, translation: language === 'en' ? undefined : e.translations?.[language], similar: e.similar };
}

const SUBTITLES = { horizontalSize: 0.052, horizontalMargin: 0.055, verticalSize: 60 } as const;

/**
 * A video job's lessons, planned once (lesson-plan.ts) and rendered step by step. Every picture is encoded
 * once: each scene is decoded once into its horizontal version per language and the vertical version of each
 * of its shorts, cut into files at the expressions' frames; slides and title cards are stills. Each output
 * is then those files joined by stream copy under one audio track built from sample-exact slices of the
 * scenes' sound and brought to the loudness target. Work files live under `out`; the caller publishes.
 */
export class LessonRenderer {
  readonly plan: Plan;
  private readonly rate;

  constructor(
    private readonly media: MediaRepository,
    private readonly canvas: SlideCanvas,
    private readonly s: RenderSettings,
    private readonly out: string,
    private readonly request: RenderRequest,
    cues: TimedCue[],
    expressions: Expression[],
    videoMs: number,
  ) {
    this.rate = s.format.rate;
    this.plan = planLessons(cues, expressions, videoMs, {
      ...s.plan,
      rate: this.rate,
      shortsMaxMs: request.shortsMaxMs,
      order: request.givenOrder ? 'given' : 'episode',
    });
  }

  async makeFolders(): Promise<void> {
    for (const dir of ['scenes', 'vertical', 'stills', 'audio', 'text', 'fonts']) await mkdir(join(this.out, dir), { recursive: true });
    // libass reads the fonts of one folder: Inter's two weights, side by side.
    for (const file of INTER_FILES) await copyFile(file, join(this.out, 'fonts', basename(file)));
    for (const l of this.request.languages)
      for (const dir of ['slides', 'expressions', 'long', 'shorts']) await mkdir(join(this.out, l, dir), { recursive: true });
  }

  // Where each work file is: one place, so the steps agree.
  private sceneWav = (k: number) => join(this.out, 'scenes', `${this.plan.scenes[k].base}.wav`);
  private scenePattern = (k: number, lang: string) => join(this.out, 'scenes', `${this.plan.scenes[k].base}.${lang}.%03d.mp4`);
  private verticalPattern = (l: LessonPlan, lang: string) => join(this.out, 'vertical', `${l.base}.${lang}.%03d.mp4`);
  private still = (l: LessonPlan, lang: string, what: 'slide' | 'vslide' | 'card') => join(this.out, 'stills', `${l.base}.${lang}.${what}`);
  private slidePng = (l: LessonPlan, lang: string, vertical = false) => join(this.out, lang, 'slides', `${l.base}${vertical ? '.vertical' : ''}.png`);
  learningFile = (l: LessonPlan, lang: string) => join(this.out, lang, 'expressions', `${l.base}.mp4`);

  /** Step "clips": every scene decoded once into all its pictures (and its sound), `parallel` scenes at a time. */
  async scenes(source: string, progress: (f: number) => void): Promise<void> {
    const { languages, shorts } = this.request;
    const f = this.s.format;
    await this.each(this.plan.scenes, progress, async (scene, limits, k) => {
      const lessons = scene.lessons.map((i) => this.plan.lessons[i]);
      const horizontal = await Promise.all(
        languages.map(async (lang) => {
          const ass = join(this.out, 'text', `${scene.base}.${lang}.ass`);
          const geometry = {
            width: f.width,
            height: f.height,
            fontSize: Math.round(f.height * SUBTITLES.horizontalSize),
            alignment: 2 as const,
            marginV: Math.round(f.height * SUBTITLES.horizontalMargin),
            marginH: Math.round(f.width * 0.06),
          };
          await writeFile(ass, subtitleDocument(sceneSubtitles(scene, lessons, lang, this.rate), geometry));
          return { ass, pattern: this.scenePattern(k, lang), cuts: scene.cuts };
        }),
      );
      const vertical = !shorts
        ? []
        : await Promise.all(
            lessons.flatMap((l) =>
              languages.map(async (lang) => {
                const ass = join(this.out, 'text', `${l.base}.${lang}.vertical.ass`);
                const { bandTop, bandSize, subtitleGap, margin } = SHORT_LAYOUT;
                const geometry = {
                  width: SHORT_WIDTH,
                  height: SHORT_HEIGHT,
                  fontSize: SUBTITLES.verticalSize,
                  alignment: 8 as const,
                  marginV: bandTop + bandSize + subtitleGap,
                  marginH: margin,
                };
                await writeFile(ass, subtitleDocument(sceneSubtitles(scene, [l], lang, this.rate, l.short.from), geometry));
                const overlay = join(this.out, 'text', `${l.base}.${lang}.overlay.png`);
                const runs = layoutShortTitle(slideContentOf(l.expression, lang), counterOf(l.number, l.total), this.request.show, this.canvas);
                await writeFile(overlay, this.canvas.png(runs, SHORT_WIDTH, SHORT_HEIGHT, null, this.logo()));
                const cuts = [l.from - l.short.from, l.to - l.short.from].filter((n) => n > 0 && n < l.short.to - l.short.from);
                return {
                  ass,
                  overlay,
                  pattern: this.verticalPattern(l, lang),
                  cuts,
                  ...l.short,
                  bandTop,
                  bandSize,
                  background: SLIDE_BACKGROUND,
                  preset: this.s.shortsPreset,
                };
              }),
            ),
          );
      const args = sceneArgs({
        source,
        startMs: scene.startMs,
        frames: scene.frames,
        format: f,
        fontsDir: join(this.out, 'fonts'),
        wav: this.sceneWav(k),
        horizontal,
        vertical,
      });
      await this.media.ffmpeg(args, { ...limits, durationMs: msOfFrames(scene.frames, this.rate) });
    });
  }

  /** Step "slides": each lesson's slide per language (and its vertical slide and title card when wanted), as pictures and stills. */
  async stills(progress: (f: number) => void): Promise<void> {
    const f = this.s.format;
    const { languages, shorts, longForm, show } = this.request;
    await this.each(this.plan.lessons, progress, async (l, limits) => {
      for (const lang of languages) {
        const content = slideContentOf(l.expression, lang);
        const counter = counterOf(l.number, l.total);
        await writeFile(this.slidePng(l, lang), this.canvas.png(layoutSlide(content, f.width, f.height, this.canvas), f.width, f.height, SLIDE_BACKGROUND));
        await this.media.ffmpeg(stillArgs(this.slidePng(l, lang), l.slideFrames, f, `${this.still(l, lang, 'slide')}.mp4`), limits);
        if (shorts) {
          const runs = layoutVerticalSlide(content, counter, show, this.canvas);
          await writeFile(this.slidePng(l, lang, true), this.canvas.png(runs, SHORT_WIDTH, SHORT_HEIGHT, SLIDE_BACKGROUND, this.logo()));
          await this.media.ffmpeg(stillArgs(this.slidePng(l, lang, true), l.short.slideFrames, f, `${this.still(l, lang, 'vslide')}.mp4`), limits);
        }
        if (longForm) {
          const card = `${this.still(l, lang, 'card')}.png`;
          await writeFile(card, this.canvas.png(layoutTitleCard(content, counter, f.width, f.height, this.canvas), f.width, f.height, SLIDE_BACKGROUND));
          await this.media.ffmpeg(stillArgs(card, l.cardFrames, f, `${this.still(l, lang, 'card')}.mp4`), limits);
        }
      }
    });
  }

  /** The pictures of a lesson's learning video in one language: its scene, the expression replayed, the slide. */
  private learningVideo(l: LessonPlan, lang: string): string[] {
    const scene = this.plan.scenes[l.scene];
    const segments = segmentsOf(this.scenePattern(l.scene, lang), scene.frames, scene.cuts);
    const expression = segmentsBetween(segments, l.from, l.to);
    return [...segments.map((s) => s.file), ...Array.from({ length: this.s.plan.repeat }, () => expression).flat(), `${this.still(l, lang, 'slide')}.mp4`];
  }

  private learningParts = (l: LessonPlan, card = false) =>
    lessonParts(
      l,
      this.sceneWav(l.scene),
      this.rate,
      { from: 0, to: this.plan.scenes[l.scene].frames, repeat: this.s.plan.repeat, slideFrames: l.slideFrames },
      card,
    );

  /** Step "assembly": each lesson's learning video, its sound built once for every language. */
  async learning(progress: (f: number) => void): Promise<LanguageFile[]> {
    const files: LanguageFile[] = [];
    await this.each(this.plan.lessons, progress, async (l, limits) => {
      const outputs = this.request.languages.map((lang) => ({ language: lang, file: this.learningFile(l, lang), video: this.learningVideo(l, lang) }));
      await this.output(`${l.base}.learning`, this.learningParts(l), outputs, limits);
      files.push(...outputs.map(({ language, file }) => ({ language, file, kind: 'expressions' as const })));
      for (const language of this.request.languages) {
        files.push({ language, file: this.slidePng(l, language), kind: 'slides' });
        if (this.request.shorts) files.push({ language, file: this.slidePng(l, language, true), kind: 'slides' });
      }
    });
    return files;
  }

  /** Step "long-form": every lesson in episode order, each after its title card, with a chapter each. */
  async longForm(): Promise<LanguageFile[]> {
    const { languages, name } = this.request;
    const parts = this.plan.lessons.map((l) => this.learningParts(l, true));
    let start = 0;
    const chapters = this.plan.lessons.map((l, i) => {
      const frames = parts[i].reduce((t, p) => t + p.frames, 0);
      const chapter = {
        startMs: msOfFrames(start, this.rate),
        endMs: msOfFrames(start + frames, this.rate),
        title: `${counterOf(l.number, l.total)} · ${l.expression.expression}`,
      };
      start += frames;
      return chapter;
    });
    const chaptersPath = join(this.out, 'text', 'long.chapters.txt');
    await writeFile(chaptersPath, chaptersFile(chapters));
    const outputs = languages.map((lang) => ({
      language: lang,
      file: join(this.out, lang, 'long', `${name}.mp4`),
      video: this.plan.lessons.flatMap((l) => [`${this.still(l, lang, 'card')}.mp4`, ...this.learningVideo(l, lang)]),
    }));
    await this.output('long', parts.flat(), outputs, this.s.limits, chaptersPath);
    return outputs.map(({ language, file }) => ({ language, file, kind: 'long' }));
  }

  /** Step "shorts": one 9:16 short per lesson (or batches of them), each with its upload metadata. */
  async shorts(progress: (f: number) => void): Promise<LanguageFile[]> {
    const { languages, name, shortsMode, shortsMaxMs } = this.request;
    const groups = shortsMode === 'batched' ? this.batches(shortsMaxMs) : this.plan.lessons.map((l) => [l]);
    const files: LanguageFile[] = [];
    await this.each(groups, progress, async (group, limits, g) => {
      const base = shortsMode === 'batched' ? `${name}_short${String(g + 1).padStart(2, '0')}` : `${name}_${group[0].base}`;
      const parts = group.map((l) => lessonParts(l, this.sceneWav(l.scene), this.rate, l.short));
      const outputs = languages.map((lang) => ({
        language: lang,
        file: join(this.out, lang, 'shorts', `${base}.mp4`),
        video: group.flatMap((l) => {
          const segments = segmentsOf(
            this.verticalPattern(l, lang),
            l.short.to - l.short.from,
            [l.from - l.short.from, l.to - l.short.from].filter((n) => n > 0 && n < l.short.to - l.short.from),
          );
          const expression = segmentsBetween(segments, l.from - l.short.from, l.to - l.short.from);
          return [...segments.map((s) => s.file), ...Array.from({ length: l.short.repeat }, () => expression).flat(), `${this.still(l, lang, 'vslide')}.mp4`];
        }),
      }));
      await this.output(`${base}.short`, parts.flat(), outputs, limits);
      for (const o of outputs) {
        const meta = join(this.out, o.language, 'shorts', `${base}.meta.json`);
        await writeFile(meta, JSON.stringify(this.shortMeta(`${base}.mp4`, group, parts, o.language), null, 2));
        files.push({ language: o.language, file: o.file, kind: 'shorts' }, { language: o.language, file: meta, kind: 'meta' });
      }
    });
    return files;
  }

  /** Lessons in order, grouped into shorts of at most `maxMs` (a lesson longer than that is a short alone). */
  private batches(maxMs: number): LessonPlan[][] {
    const groups: LessonPlan[][] = [];
    let total = 0;
    for (const l of this.plan.lessons) {
      const ms = msOfFrames(
        lessonParts(l, '', this.rate, l.short).reduce((t, p) => t + p.frames, 0),
        this.rate,
      );
      if (groups.length && total + ms <= maxMs) {
        groups.at(-1)!.push(l);
        total += ms;
      } else {
        groups.push([l]);
        total = ms;
      }
    }
    return groups;
  }

  /** A short's upload metadata: title, description, hashtags, and every part's place to the frame. */
  private shortMeta(file: string, group: LessonPlan[], parts: Part[][], language: string): ShortMeta {
    const { show, episode } = this.request;
    const first = group[0].expression;
    const translation = language === 'en' ? undefined : first.translations?.[language];
    let offset = 0;
    const shortParts: ShortPart[] = [];
    group.forEach((l, i) => {
      const scene = this.plan.scenes[l.scene];
      const at = (frame: number) => Math.round(scene.startMs + msOfFrames(frame, this.rate));
      for (const p of parts[i]) {
        const source = p.kind === 'context' ? [l.short.from, l.short.to] : p.kind === 'repeat' ? [l.from, l.to] : null;
        shortParts.push({
          kind: p.kind as ShortPart['kind'],
          expression: l.expression.expression,
          offsetSec: round(msOfFrames(offset, this.rate) / 1000),
          durationSec: round(msOfFrames(p.frames, this.rate) / 1000),
          frames: p.frames,
          ...(source ? { sourceStartMs: at(source[0]), sourceEndMs: at(source[1]) } : {}),
        });
        offset += p.frames;
      }
    });
    const lessons = group.map((l) => {
      const scene = this.plan.scenes[l.scene];
      const at = (frame: number) => Math.round(scene.startMs + msOfFrames(frame, this.rate));
      const t = language === 'en' ? undefined : l.expression.translations?.[language];
      return {
        number: l.number,
        total: l.total,
        expression: l.expression.expression,
        definition: l.expression.definition,
        example: l.expression.example,
        ...(t ? { translation: t } : {}),
        sceneStartMs: at(l.short.from),
        sceneEndMs: at(l.short.to),
        expressionStartMs: at(l.from),
        expressionEndMs: at(l.to),
      };
    });
    const names = group.map((l) => l.expression.expression);
    const hashtags = ['#LearnEnglish', '#EnglishIdioms', '#EnglishVocabulary', ...names.map(hashtag), hashtag(show)].filter(
      (h, i, all) => h.length > 1 && all.indexOf(h) === i,
    );
    const title =
      group.length === 1
        ? `"${first.expression}" · ${counterOf(group[0].number, group[0].total)} · English from ${show}`
        : `${group.length} English expressions from ${show} ${episode}: ${names.join(', ')}`;
    const description = [
      ...group.map((l) => {
        const t = language === 'en' ? undefined : l.expression.translations?.[language];
        return [`${l.expression.expression}: ${l.expression.definition}`, `"${l.expression.example}"`, ...(t ? [`${t.expression}: ${t.definition}`] : [])].join(
          '\n',
        );
      }),
      `From ${show}, ${episode}.`,
      hashtags.join(' '),
    ].join('\n\n');
    const frames = offset;
    return {
      file,
      title: title.length > 100 ? `${title.slice(0, 99)}…` : title,
      description,
      hashtags,
      show,
      episode,
      language,
      languages: language === 'en' ? ['en'] : ['en', language],
      expression: first.expression,
      definition: first.definition,
      ...(translation ? { translation } : {}),
      ...(first.translations ? { translations: first.translations } : {}),
      fps: rateText(this.rate),
      frames,
      durationSec: round(msOfFrames(frames, this.rate) / 1000),
      lessons,
      parts: shortParts,
    };
  }

  /**
   * Writes one output per language: its sound (the same in every language) built once from the parts'
   * slices and brought to the loudness target, then each language's pictures joined by stream copy under it.
   */
  private async output(key: string, parts: Part[], outputs: { file: string; video: string[] }[], limits: RunLimits, chapters?: string): Promise<void> {
    const raw = join(this.out, 'audio', `${key}.raw.wav`);
    const wav = join(this.out, 'audio', `${key}.wav`);
    await this.media.ffmpeg(
      audioJoinArgs(
        parts.flatMap((p) => p.audio),
        raw,
      ),
      limits,
    );
    await this.normalise(raw, wav, limits);
    for (const o of outputs) {
      const list = `${o.file}.txt`;
      await writeFile(list, concatList(o.video));
      await this.media.ffmpeg(muxArgs(list, wav, o.file, chapters), {
        ...limits,
        durationMs: msOfFrames(
          parts.reduce((t, p) => t + p.frames, 0),
          this.rate,
        ),
      });
    }
  }

  /**
   * EBU R128: measures the track, applies the gain to the target; where the limiter had to hold peaks back
   * (the track comes out quieter), measures again and corrects the gain, at most twice more.
   */
  private async normalise(raw: string, wav: string, limits: RunLimits): Promise<void> {
    const target = this.s.loudnessLufs;
    const measured = await this.media.loudness(raw, limits);
    let gain = gainTo(measured, target);
    for (let pass = 0; ; pass++) {
      const filter = gainFilter(gain, measured.truePeakDb);
      await this.media.ffmpeg(audioFilterArgs(raw, filter, wav), limits);
      if (!filter.includes('alimiter') || pass === 2) return;
      const got = await this.media.loudness(wav, limits);
      if (!Number.isFinite(got.integratedLufs) || Math.abs(got.integratedLufs - target) <= LOUDNESS_TOLERANCE_LU) return;
      gain += target - got.integratedLufs;
    }
  }

  private logo(): Picture[] {
    const image = this.s.logo;
    if (!image) return [];
    const height = 90;
    const width = Math.min(320, Math.round((image.width / image.height) * height));
    return [{ image, x: SHORT_WIDTH - SHORT_LAYOUT.margin - width, y: 40, width, height }];
  }

  /**
   * Runs `work` for every item, `parallel` at a time. The first failure kills the siblings' ffmpeg runs and
   * takes no new item; this settles only once every run has ended, so nothing writes after it.
   */
  private async each<T>(items: T[], progress: (f: number) => void, work: (it: T, limits: RunLimits, index: number) => Promise<void>): Promise<void> {
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
        const index = next++;
        try {
          await work(items[index], limits, index);
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
const round = (n: number) => Math.round(n * 1000) / 1000;
/** `#BreakTheIce`: a hashtag of a phrase. */
const hashtag = (text: string) =>
  `#${text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;
