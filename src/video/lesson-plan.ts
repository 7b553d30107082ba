// Pure planning of a video job's lessons, in frames: the scenes to encode, where each expression starts and
// ends in its scene, the window of the scene its short shows, how long its slide lasts, and which pieces of
// picture and sound every output is made of. The renderer only executes this plan.
import { Expression } from '../analysis/analysis.types';
import { AudioPiece, FrameRate, frameAt, msOfFrames, samplesAt } from './ffmpeg-args';
import { expressionBase } from './render-plan';
import { planScenes, Scene, SceneOptions, TimedCue, trimScene } from './scenes';
import { SubtitleLine } from './subtitle-track';

export interface PlanSettings {
  rate: FrameRate;
  scene: SceneOptions;
  /** How many times the expression is replayed after its scene. */
  repeat: number;
  /** The slide's shortest time on screen; the expression's sound is replayed under it a whole number of times. */
  slideMs: number;
  /** The title card before each lesson in the long-form. */
  cardMs: number;
  /** The longest short. */
  shortsMaxMs: number;
  /**
   * The order of the lessons (their numbers, the long-form, the shorts): the episode's, or the order the
   * expressions are given in (a reviewer's "order to teach"). Scenes are planned in episode order either way.
   */
  order?: 'episode' | 'given';
}

export interface ScenePlan {
  /** `scene03`: the base name of its files. */
  base: string;
  /** In the episode, on the frame grid. */
  startMs: number;
  frames: number;
  /** Frames where an expression starts or ends: the scene's files are cut there. */
  cuts: number[];
  cues: TimedCue[];
  /** The lessons taught on it (indexes into the plan's lessons). */
  lessons: number[];
}

export interface LessonPlan {
  expression: Expression;
  /** 1-based, in the plan's order, and how many there are: "3/8". */
  number: number;
  total: number;
  base: string;
  scene: number;
  /** The expression's frames in its scene: [from, to). */
  from: number;
  to: number;
  /**
   * Its short: the window of the scene it shows ([from, to) of the scene), and the replays and slide frames
   * that fit within the shorts' maximum (fewer than the learning video's when that is tight).
   */
  short: { from: number; to: number; repeat: number; slideFrames: number };
  slideFrames: number;
  cardFrames: number;
}

export interface Plan {
  scenes: ScenePlan[];
  /** In the order of PlanSettings.order (episode order by default). */
  lessons: LessonPlan[];
}

/** Room around the expression's own words in its replays, taken from the silence around them. */
const EXPRESSION_PAD_MS = 250;
/** Under the slide, the expression is replayed at most this many times. */
const MAX_SLIDE_PLAYS = 3;

/**
 * The plan of a job: its expressions (only those with times) in episode order, or in the order given, their
 * scenes from the cues, everything on the frame grid of `rate`.
 */
export function planLessons(cues: TimedCue[], expressions: Expression[], videoMs: number, s: PlanSettings): Plan {
  const given = expressions.filter((e) => e.startMs !== null && e.endMs !== null);
  const timed = given.slice().sort((a, b) => a.startMs! - b.startMs! || a.endMs! - b.endMs!);
  // Where each expression of `timed` goes in the plan's lessons.
  const place = timed.map((e, i) => (s.order === 'given' ? given.indexOf(e) : i));
  const scenes = planScenes(
    cues,
    timed.map((e) => ({ startMs: e.startMs!, endMs: e.endMs! })),
    videoMs,
    s.scene,
  );
  const lessons: LessonPlan[] = new Array<LessonPlan>(timed.length);
  const scenePlans = scenes.map((scene, k): ScenePlan => {
    const first = frameAt(scene.startMs, s.rate);
    const startMs = msOfFrames(first, s.rate);
    const frames = Math.max(1, frameAt(scene.endMs, s.rate) - first);
    const inScene = scene.cues.map((i) => cues[i]);
    for (const i of scene.expressions) {
      const e = timed[i];
      // The expression's words and a little silence around them, never into the next line.
      const before = inScene.filter((c) => c.endMs <= e.startMs!).at(-1)?.endMs ?? scene.startMs;
      const after = inScene.find((c) => c.startMs >= e.endMs!)?.startMs ?? scene.endMs;
      const fromMs = Math.max(before, scene.startMs, e.startMs! - EXPRESSION_PAD_MS);
      const toMs = Math.min(after, scene.endMs, e.endMs! + EXPRESSION_PAD_MS);
      const from = Math.min(frames - 1, Math.max(0, frameAt(fromMs - startMs, s.rate)));
      const to = Math.max(from + 1, Math.min(frames, frameAt(toMs - startMs, s.rate)));
      const plays = Math.min(MAX_SLIDE_PLAYS, Math.max(1, Math.round(frameAt(s.slideMs, s.rate) / (to - from))));
      const slideFrames = Math.max(plays * (to - from), plays === MAX_SLIDE_PLAYS ? frameAt(s.slideMs, s.rate) : 0);
      const short = shortShape(cues, scene, e, { startMs, frames, from, to, slideFrames }, s);
      lessons[place[i]] = {
        expression: e,
        number: place[i] + 1,
        total: timed.length,
        base: expressionBase(place[i], e.expression),
        scene: k,
        from,
        to,
        short,
        slideFrames,
        cardFrames: frameAt(s.cardMs, s.rate),
      };
    }
    const taught = scene.expressions.map((i) => place[i]);
    const cuts = [...new Set(taught.flatMap((i) => [lessons[i].from, lessons[i].to]))].filter((n) => n > 0 && n < frames).sort((a, b) => a - b);
    return { base: `scene${String(k + 1).padStart(2, '0')}`, startMs, frames, cuts, cues: inScene, lessons: taught };
  });
  return { scenes: scenePlans, lessons };
}

/**
 * What a lesson's short holds, within the shorts' maximum: the replays and the slide as in the learning video
 * when they leave room for the expression's own line, else a shorter slide, then one replay, then a brief
 * slide, then no replay; then as much of the scene as is left (whole lines, the one before first). Only an
 * expression line longer than half the maximum still gets a short that runs over.
 */
function shortShape(
  cues: TimedCue[],
  scene: Scene,
  e: Expression,
  l: { startMs: number; frames: number; from: number; to: number; slideFrames: number },
  s: PlanSettings,
): LessonPlan['short'] {
  const play = l.to - l.from;
  const max = frameAt(s.shortsMaxMs, s.rate);
  const shapes = [
    { repeat: s.repeat, slideFrames: l.slideFrames },
    { repeat: s.repeat, slideFrames: play },
    { repeat: 1, slideFrames: play },
    { repeat: 1, slideFrames: Math.min(play, frameAt(1500, s.rate)) },
    // A long line in a short maximum: what is left for the slide, then no replay at all.
    { repeat: 1, slideFrames: Math.min(play, max - 2 * play) },
    { repeat: 0, slideFrames: Math.max(1, Math.min(play, max - play)) },
  ].filter((x) => x.slideFrames >= frameAt(1000, s.rate) || x.repeat === 0);
  const shape = shapes.find((x) => max - x.repeat * play - x.slideFrames >= play) ?? shapes[shapes.length - 1];
  const budget = max - shape.repeat * play - shape.slideFrames;
  const window = trimScene(cues, scene, { startMs: e.startMs!, endMs: e.endMs! }, msOfFrames(Math.max(budget, play), s.rate), s.scene.tailMs);
  let from = Math.min(l.from, Math.max(0, frameAt(window.startMs - l.startMs, s.rate)));
  let to = Math.max(l.to, Math.min(l.frames, frameAt(window.endMs - l.startMs, s.rate)));
  // Whole lines could not fit (a line longer than the room): the room around the expression, evenly.
  const over = to - from - Math.max(budget, play);
  if (over > 0) {
    const before = Math.min(l.from - from, Math.ceil(over / 2));
    from += before;
    to -= Math.min(to - l.to, over - before);
  }
  return { from, to, ...shape };
}

/** The files a segmented encode of `frames` frames cut at `cuts` is written to, and the frames each holds. */
export function segmentsOf(pattern: string, frames: number, cuts: number[]): { file: string; from: number; to: number }[] {
  const bounds = [0, ...cuts, frames];
  return bounds.slice(0, -1).map((from, k) => ({ file: pattern.replace('%03d', String(k).padStart(3, '0')), from, to: bounds[k + 1] }));
}

/** The files of a segmented encode that hold frames [from, to) exactly (the encode was cut at both). */
export function segmentsBetween(segments: { file: string; from: number; to: number }[], from: number, to: number): string[] {
  return segments.filter((s) => s.from >= from && s.to <= to).map((s) => s.file);
}

/** A lesson's parts, each with its length in frames: what the learning videos, shorts and metadata share. */
export interface Part {
  kind: 'card' | 'context' | 'repeat' | 'slide';
  frames: number;
  /** Sound: slices of the scene's WAV, or silence. */
  audio: AudioPiece[];
}

/**
 * The sound under a slide: the expression replayed back to back (`frames` is a whole number of plays, or
 * longer than MAX_SLIDE_PLAYS plays, the rest silent).
 */
function slideAudio(wav: string, from: number, to: number, frames: number, r: FrameRate): AudioPiece[] {
  const pieces: AudioPiece[] = [];
  const play = to - from;
  let done = 0;
  while (done + play <= frames) {
    pieces.push({ wav, from: samplesAt(from, r), to: samplesAt(to, r) });
    done += play;
  }
  // A slide briefer than one play (a tight short) hears the start of it; past the last play, silence.
  if (done === 0) pieces.push({ wav, from: samplesAt(from, r), to: samplesAt(from, r) + samplesAt(frames, r) });
  else if (done < frames) pieces.push({ silence: samplesAt(frames, r) - samplesAt(done, r) });
  return pieces;
}

/**
 * The parts of a lesson: the context (the whole scene for the learning video, the short's window for the
 * short), the replays, the slide; with `card`, a silent title card before them (the long-form).
 */
export function lessonParts(
  l: LessonPlan,
  sceneWav: string,
  r: FrameRate,
  shape: { from: number; to: number; repeat: number; slideFrames: number },
  card = false,
): Part[] {
  const slice = (from: number, to: number): AudioPiece => ({ wav: sceneWav, from: samplesAt(from, r), to: samplesAt(to, r) });
  return [
    ...(card ? [{ kind: 'card' as const, frames: l.cardFrames, audio: [{ silence: samplesAt(l.cardFrames, r) }] }] : []),
    { kind: 'context', frames: shape.to - shape.from, audio: [slice(shape.from, shape.to)] },
    ...Array.from({ length: shape.repeat }, () => ({ kind: 'repeat' as const, frames: l.to - l.from, audio: [slice(l.from, l.to)] })),
    { kind: 'slide', frames: shape.slideFrames, audio: slideAudio(sceneWav, l.from, l.to, shape.slideFrames, r) },
  ];
}

/**
 * The subtitles of a scene (or of a window of it starting at frame `offset`): its lines, with the lessons'
 * expressions highlighted in the lines they are said in and their example translated under them.
 */
export function sceneSubtitles(scene: ScenePlan, lessons: LessonPlan[], language: string, r: FrameRate, offset = 0): SubtitleLine[] {
  const zero = scene.startMs + msOfFrames(offset, r);
  return scene.cues.map((c) => {
    const said = lessons.find((l) => l.expression.startMs! < c.endMs && l.expression.endMs! > c.startMs);
    const translation = said?.expression.translations?.[language]?.example;
    return {
      startMs: c.startMs - zero,
      endMs: c.endMs - zero,
      text: c.text,
      ...(said ? { highlight: { matched: said.expression.matched, expression: said.expression.expression } } : {}),
      ...(translation && language !== 'en' ? { translation } : {}),
    };
  });
}
