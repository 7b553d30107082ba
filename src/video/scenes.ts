// Pure planning of the context scenes: which stretch of the episode is shown before an expression is taught.
// A scene is the exchange around the expression's line: the cues it is said in, widened over the cues that
// follow one another closely (a silence longer than `breakMs` ends a scene), at least `minMs` and at most
// `maxMs` long. Its ends always fall in a silence between cues, so no word is ever cut.

export interface TimedCue {
  startMs: number;
  endMs: number;
  text: string;
}

export interface SceneOptions {
  /** A silence between two cues longer than this is a scene break. */
  breakMs: number;
  minMs: number;
  maxMs: number;
  /** Room left before the first and after the last word, taken from the silence around the scene. */
  tailMs: number;
}

export const DEFAULT_SCENE_OPTIONS: SceneOptions = { breakMs: 1500, minMs: 8000, maxMs: 45000, tailMs: 400 };

export interface Scene {
  startMs: number;
  endMs: number;
  /** Indexes of the cues inside the scene (into the cue list given). */
  cues: number[];
  /** Indexes of the expressions taught on this scene (into the list given), in the order given. */
  expressions: number[];
}

interface Span {
  lo: number;
  hi: number;
}

/** The cues an expression is said in: those overlapping its times, or the nearest one when none does. */
function cuesOf(cues: TimedCue[], startMs: number, endMs: number): Span {
  let lo = -1;
  let hi = -1;
  cues.forEach((c, i) => {
    if (c.endMs > startMs && c.startMs < endMs) {
      if (lo < 0) lo = i;
      hi = i;
    }
  });
  if (lo >= 0) return { lo, hi };
  let best = 0;
  cues.forEach((c, i) => {
    const d = Math.min(Math.abs(c.startMs - startMs), Math.abs(c.endMs - endMs));
    const b = cues[best];
    if (d < Math.min(Math.abs(b.startMs - startMs), Math.abs(b.endMs - endMs))) best = i;
  });
  return { lo: best, hi: best };
}

/** Widens a span of cues over the exchange around it, then (when still short) over breaks, within `maxMs`. */
function widen(cues: TimedCue[], span: Span, videoMs: number, o: SceneOptions): Span {
  let { lo, hi } = span;
  const length = (a: number, b: number) => cues[b].endMs - cues[a].startMs;
  // First the exchange: the line before (often the question the expression answers), then the one after.
  for (let grew = true; grew;) {
    grew = false;
    if (lo > 0 && cues[lo].startMs - cues[lo - 1].endMs <= o.breakMs && length(lo - 1, hi) <= o.maxMs) {
      lo--;
      grew = true;
    }
    if (hi < cues.length - 1 && cues[hi + 1].startMs - cues[hi].endMs <= o.breakMs && length(lo, hi + 1) <= o.maxMs) {
      hi++;
      grew = true;
    }
  }
  // Too short to be a scene, with too little silence around it to pad it to the minimum: take the nearest
  // neighbouring lines, across breaks, up to the minimum. (Lines after a break are another exchange: silence
  // around the line is the better context when there is enough of it.)
  const silence = (a: number, b: number) =>
    (a > 0 ? cues[a].startMs - cues[a - 1].endMs : cues[a].startMs) + (b < cues.length - 1 ? cues[b + 1].startMs - cues[b].endMs : videoMs - cues[b].endMs);
  while (length(lo, hi) < o.minMs && length(lo, hi) + silence(lo, hi) < o.minMs) {
    const before = lo > 0 && length(lo - 1, hi) <= o.maxMs ? cues[lo].startMs - cues[lo - 1].endMs : Infinity;
    const after = hi < cues.length - 1 && length(lo, hi + 1) <= o.maxMs ? cues[hi + 1].startMs - cues[hi].endMs : Infinity;
    if (before === Infinity && after === Infinity) break;
    // A neighbour further away than the minimum itself belongs to another scene.
    if (Math.min(before, after) > o.minMs) break;
    if (before <= after) lo--;
    else hi++;
  }
  return { lo, hi };
}

/**
 * The ends of a span of cues in time: the words' own times widened by `tailMs` into the silences around them,
 * then, when shorter than `minMs`, evenly into those silences, never into a neighbouring cue nor past the video.
 */
function boundsOf(cues: TimedCue[], { lo, hi }: Span, videoMs: number, o: SceneOptions): { startMs: number; endMs: number } {
  const floor = lo > 0 ? Math.max(cues[lo - 1].endMs, 0) : 0;
  const ceiling = hi < cues.length - 1 ? Math.min(cues[hi + 1].startMs, videoMs) : videoMs;
  let startMs = Math.max(floor, cues[lo].startMs - o.tailMs);
  let endMs = Math.min(ceiling, cues[hi].endMs + o.tailMs);
  const missing = o.minMs - (endMs - startMs);
  if (missing > 0) {
    const roomBefore = startMs - floor;
    const roomAfter = ceiling - endMs;
    const before = Math.min(roomBefore, Math.max(missing / 2, missing - roomAfter));
    startMs -= before;
    endMs += Math.min(roomAfter, missing - before);
  }
  return { startMs: Math.max(0, Math.round(startMs)), endMs: Math.min(videoMs, Math.round(endMs)) };
}

/**
 * The scenes of a list of expressions (their times in the episode). Expressions whose scenes overlap share
 * one scene (their union) as long as it stays within `maxMs`; scenes are returned in episode order.
 */
export function planScenes(
  cues: TimedCue[],
  expressions: { startMs: number; endMs: number }[],
  videoMs: number,
  o: SceneOptions = DEFAULT_SCENE_OPTIONS,
): Scene[] {
  const timed = cues.filter((c) => c.startMs < videoMs && c.endMs > c.startMs);
  if (!timed.length) {
    // No cue to follow (none inside the video): each expression's own times, widened to the minimum.
    return expressions.map((e, i) => {
      const missing = Math.max(0, o.minMs - (e.endMs - e.startMs)) / 2;
      return { startMs: Math.max(0, Math.round(e.startMs - missing)), endMs: Math.min(videoMs, Math.round(e.endMs + missing)), cues: [], expressions: [i] };
    });
  }
  const spans = expressions.map((e) => widen(timed, cuesOf(timed, e.startMs, e.endMs), videoMs, o));
  const order = spans.map((_, i) => i).sort((a, b) => spans[a].lo - spans[b].lo || spans[a].hi - spans[b].hi);
  const merged: { span: Span; expressions: number[] }[] = [];
  for (const i of order) {
    const last = merged.at(-1);
    const span = spans[i];
    if (last && span.lo <= last.span.hi) {
      const union = { lo: last.span.lo, hi: Math.max(last.span.hi, span.hi) };
      if (timed[union.hi].endMs - timed[union.lo].startMs <= o.maxMs || span.hi <= last.span.hi) {
        last.span = union;
        last.expressions.push(i);
        continue;
      }
    }
    merged.push({ span: { ...span }, expressions: [i] });
  }
  return merged.map(({ span, expressions: members }) => {
    const { startMs, endMs } = boundsOf(timed, span, videoMs, o);
    const inside = timed.map((c, i) => [c, i] as const).filter(([c]) => c.endMs > startMs && c.startMs < endMs);
    return {
      startMs,
      endMs,
      cues: inside.map(([, i]) => cues.indexOf(timed[i])),
      expressions: members.sort((a, b) => a - b),
    };
  });
}

/**
 * A window of a scene no longer than `maxMs` around one of its expressions (for a short, whose length is
 * capped): whole cues only, the expression's own always, then the lines nearest to it, the one before first.
 */
export function trimScene(
  cues: TimedCue[],
  scene: Scene,
  expression: { startMs: number; endMs: number },
  maxMs: number,
  tailMs: number,
): { startMs: number; endMs: number } {
  if (scene.endMs - scene.startMs <= maxMs) return { startMs: scene.startMs, endMs: scene.endMs };
  const inScene = scene.cues.map((i) => cues[i]);
  const own = cuesOf(inScene, expression.startMs, expression.endMs);
  let { lo, hi } = own;
  const length = (a: number, b: number) => inScene[b].endMs - inScene[a].startMs + 2 * tailMs;
  for (let grew = true; grew;) {
    grew = false;
    if (lo > 0 && length(lo - 1, hi) <= maxMs) {
      lo--;
      grew = true;
    }
    if (hi < inScene.length - 1 && length(lo, hi + 1) <= maxMs) {
      hi++;
      grew = true;
    }
  }
  const floor = lo > 0 ? inScene[lo - 1].endMs : scene.startMs;
  const ceiling = hi < inScene.length - 1 ? inScene[hi + 1].startMs : scene.endMs;
  return {
    startMs: Math.round(Math.max(floor, scene.startMs, inScene[lo].startMs - tailMs)),
    endMs: Math.round(Math.min(ceiling, scene.endMs, inScene[hi].endMs + tailMs)),
  };
}
