// The example a teacher can show for a use: the cue (or two) it was said in, never a whole long sentence.
import { Occurrence, Sentence } from './analysis.types';

/** Most cues an example spans, and about how long it may last. */
export const MAX_EXAMPLE_CUES = 2;
export const MAX_EXAMPLE_MS = 10_000;
/** A cue of fewer words than this is joined by its neighbour, when there is room, to give the line context. */
const SHORT_CUE_WORDS = 5;

export interface Example {
  text: string;
  startMs: number | null;
  endMs: number | null;
  /** Sung rather than spoken. */
  lyric: boolean;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const span = (parts: Sentence['parts'], a: number, b: number) => (parts[a].startMs === null || parts[b].endMs === null ? 0 : parts[b].endMs - parts[a].startMs);

/**
 * The example of a use: the parts (cues) of its sentence that the words span; a lone short cue takes its
 * neighbour (the one before first: the question before the answer) if the two stay within two cues and
 * about ten seconds.
 */
export function exampleOf(sentence: Sentence, occ: Pick<Occurrence, 'firstPart' | 'lastPart'>): Example {
  const parts = sentence.parts;
  let a = Math.max(0, Math.min(occ.firstPart, parts.length - 1));
  let b = Math.max(a, Math.min(occ.lastPart, parts.length - 1));
  if (a === b && words(parts[a].text) < SHORT_CUE_WORDS) {
    if (a > 0 && span(parts, a - 1, b) <= MAX_EXAMPLE_MS && parts[a - 1].lyric === parts[a].lyric) a--;
    else if (b < parts.length - 1 && span(parts, a, b + 1) <= MAX_EXAMPLE_MS && parts[b + 1].lyric === parts[b].lyric) b++;
  }
  const chosen = parts.slice(a, b + 1);
  return {
    text: chosen.map((p) => p.text).join(' '),
    startMs: chosen[0].startMs,
    endMs: chosen[chosen.length - 1].endMs,
    lyric: chosen.some((p) => p.lyric),
  };
}
