// Lays out text for slides and shorts: wraps words into lines that fit, and shrinks the whole block until it
// fits the frame, so that nothing is ever cut. Pure: text widths come from a FontMetrics.

export type Weight = 'regular' | 'bold';

export interface FontMetrics {
  /** Advance width of the text at this font size, in pixels. */
  width(text: string, size: number, weight: Weight): number;
  /** Ascent above the baseline per pixel of font size. */
  ascent(weight: Weight): number;
}

export interface TextRun {
  text: string;
  weight: Weight;
  color: string;
}

/** A run placed on the frame: (x, top) of its box. */
export interface PlacedRun extends TextRun {
  x: number;
  top: number;
  size: number;
}

export interface Block {
  /** Words of the block; a word may carry its own color (a highlighted expression). */
  words: { text: string; color: string }[];
  weight: Weight;
  /** Font size before shrinking, as a share of the frame's height. */
  size: number;
  /** Space after the block, as a share of its font size. */
  gapAfter: number;
}

const LINE_HEIGHT = 1.25;
const SHRINK = 0.92;
const MIN_SIZE = 8;

/** Greedy wrap of words into lines no wider than `maxWidth`; a single word wider than that stands alone. */
export function wrap(words: string[], size: number, weight: Weight, maxWidth: number, m: FontMetrics): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  for (const word of words) {
    const candidate = [...line, word].join(' ');
    if (line.length && m.width(candidate, size, weight) > maxWidth) {
      lines.push(line);
      line = [word];
    } else line.push(word);
  }
  if (line.length) lines.push(line);
  return lines;
}

/**
 * Places blocks top to bottom in a box, centered horizontally. Shrinks every block by the same factor until
 * the whole fits (width of every word included), so the layout never cuts text.
 */
export function layoutBlocks(blocks: Block[], box: { x: number; y: number; width: number; height: number }, frameHeight: number, m: FontMetrics): PlacedRun[] {
  for (let scale = 1; ; scale *= SHRINK) {
    const placed: PlacedRun[] = [];
    let top = box.y;
    let fits = true;
    for (const block of blocks) {
      const size = Math.max(MIN_SIZE, block.size * frameHeight * scale);
      const lines = wrap(
        block.words.map((w) => w.text),
        size,
        block.weight,
        box.width,
        m,
      );
      let k = 0;
      for (const line of lines) {
        const words = block.words.slice(k, k + line.length);
        k += line.length;
        const lineWidth = m.width(line.join(' '), size, block.weight);
        if (lineWidth > box.width) fits = false;
        let x = box.x + (box.width - lineWidth) / 2;
        // Consecutive words of one color become one run: fewer drawtext filters.
        for (const run of runsOf(words)) {
          placed.push({ text: run.text, weight: block.weight, color: run.color, x, top, size });
          x += m.width(`${run.text} `, size, block.weight);
        }
        top += size * LINE_HEIGHT;
      }
      top += size * block.gapAfter;
    }
    if ((fits && top - box.y <= box.height) || scale < 0.05) return placed;
  }
}

function runsOf(words: { text: string; color: string }[]): { text: string; color: string }[] {
  const runs: { text: string; color: string }[] = [];
  for (const w of words) {
    const last = runs.at(-1);
    if (last && last.color === w.color) last.text += ` ${w.text}`;
    else runs.push({ ...w });
  }
  return runs;
}

const normalise = (w: string) => w.toLowerCase().replace(/[^a-z0-9']/g, '');

/**
 * Marks the words of `sentence` that the expression was matched on ("figured it out" in "I figured it out
 * fast."), from the matched token span; falls back to words sharing a stem with the expression's words.
 */
export function highlightWords(sentence: string, matched: string | undefined, expression: string): boolean[] {
  const words = sentence.split(/\s+/).filter(Boolean);
  const norm = words.map(normalise);
  const target = (matched ?? '').split(/\s+/).map(normalise).filter(Boolean);
  const marks = words.map(() => false);
  if (target.length) {
    const first = target[0];
    const last = target[target.length - 1];
    const start = norm.findIndex((w) => w === first || w.startsWith(first));
    const end = start < 0 ? -1 : norm.findIndex((w, i) => i >= start && (w === last || w.startsWith(last)));
    if (start >= 0 && end >= start) {
      for (let i = start; i <= end; i++) marks[i] = true;
      return marks;
    }
  }
  const stems = expression
    .split(/\s+/)
    .map(normalise)
    .filter((w) => w.length > 2)
    .map((w) => w.slice(0, Math.min(4, w.length)));
  norm.forEach((w, i) => (marks[i] = stems.some((s) => w.startsWith(s))));
  return marks;
}
