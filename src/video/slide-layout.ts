// Lays out text for slides and shorts: breaks it into units a line may end after (words, and in scripts
// without spaces the words Intl.Segmenter finds), wraps them into lines that fit, and shrinks the whole until
// it fits the box, so that nothing is ever cut. Pure: text widths come from a FontMetrics, the same engine
// that draws them, so that spaces and positions come out exactly as measured.

export type Weight = 'regular' | 'bold';

export interface FontMetrics {
  /** Advance width of the text at this font size, in pixels. */
  width(text: string, size: number, weight: Weight): number;
  /** Ascent above the baseline per pixel of font size. */
  ascent(weight: Weight): number;
}

/** A piece of text a line may break after, with whether a space comes before it. */
export interface Unit {
  text: string;
  space: boolean;
  color: string;
}

/** A run placed on the frame: (x, top) of its box, and its baseline. */
export interface PlacedRun {
  text: string;
  weight: Weight;
  color: string;
  x: number;
  top: number;
  baseline: number;
  size: number;
}

export interface Block {
  units: Unit[];
  weight: Weight;
  /** Font size before shrinking, as a share of the frame's height. */
  size: number;
  /** Space after the block, as a share of its font size. */
  gapAfter: number;
}

const LINE_HEIGHT = 1.25;
const SHRINK = 0.92;
const MIN_SIZE = 8;

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
/** Punctuation that closes: it stays with the unit before it, never opens a line. */
const CLOSING = /^[\p{P}\p{S}]+$/u;

/**
 * The units of a text: each word with whether a space came before it. Scripts without spaces (Chinese,
 * Japanese) break between the words Intl.Segmenter finds; punctuation stays with the word before it.
 */
export function unitsOf(text: string, color: string): Unit[] {
  const units: Unit[] = [];
  let space = false;
  for (const { segment } of segmenter.segment(text.trim())) {
    if (/^\s+$/.test(segment)) {
      space = true;
      continue;
    }
    const last = units.at(-1);
    // Written together: one unit ("well-known", "word,"), unless a line may break there (between CJK words).
    if (last && !space && (CLOSING.test(segment) || !(isCjk(last.text.slice(-1)) || isCjk(segment[0])))) last.text += segment;
    else units.push({ text: segment, space: space && units.length > 0, color });
    space = false;
  }
  return units;
}

/** Scripts written without spaces, where a line may break between words. */
const isCjk = (ch: string) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch);

/** The text of a line of units, spaces where they were. */
export const lineText = (units: Unit[]) => units.map((u, i) => (i > 0 && u.space ? ` ${u.text}` : u.text)).join('');

/** Greedy wrap of units into lines no wider than `maxWidth`; a unit wider than that stands alone. */
export function wrap(units: Unit[], size: number, weight: Weight, maxWidth: number, m: FontMetrics): Unit[][] {
  const lines: Unit[][] = [];
  let line: Unit[] = [];
  for (const unit of units) {
    if (line.length && m.width(lineText([...line, unit]), size, weight) > maxWidth) {
      lines.push(line);
      line = [unit];
    } else line.push(unit);
  }
  if (line.length) lines.push(line);
  return lines;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Places blocks top to bottom in a box, each line centred horizontally, the whole centred vertically when
 * `center` (else from the top). Shrinks every block by the same factor until the whole fits (every unit's
 * width included), so the layout never cuts text. Runs of one colour are placed where the line's text up to
 * them ends, so the spaces around a highlighted word are the line's own.
 */
export function layoutBlocks(blocks: Block[], box: Box, frameHeight: number, m: FontMetrics, center = false): PlacedRun[] {
  for (let scale = 1; ; scale *= SHRINK) {
    const placed: PlacedRun[] = [];
    let top = box.y;
    let fits = true;
    for (const block of blocks) {
      const size = Math.max(MIN_SIZE, block.size * frameHeight * scale);
      const ascent = m.ascent(block.weight) * size;
      for (const line of wrap(block.units, size, block.weight, box.width, m)) {
        const lineWidth = m.width(lineText(line), size, block.weight);
        if (lineWidth > box.width) fits = false;
        const left = box.x + (box.width - lineWidth) / 2;
        for (const run of runsOf(line)) {
          const before = lineText(line.slice(0, run.from));
          const x = left + (run.from === 0 ? 0 : m.width(`${before}${line[run.from].space ? ' ' : ''}`, size, block.weight));
          placed.push({ text: lineText(line.slice(run.from, run.to)), weight: block.weight, color: run.color, x, top, baseline: top + ascent, size });
        }
        top += size * LINE_HEIGHT;
      }
      top += size * block.gapAfter;
    }
    const height = top - box.y;
    if ((fits && height <= box.height) || scale < 0.05) {
      const shift = center ? Math.max(0, (box.height - height) / 2) : 0;
      return placed.map((r) => ({ ...r, top: r.top + shift, baseline: r.baseline + shift }));
    }
  }
}

/** Consecutive units of one colour: [from, to) of the line. */
function runsOf(line: Unit[]): { from: number; to: number; color: string }[] {
  const runs: { from: number; to: number; color: string }[] = [];
  line.forEach((u, i) => {
    const last = runs.at(-1);
    if (last && last.color === u.color) last.to = i + 1;
    else runs.push({ from: i, to: i + 1, color: u.color });
  });
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

/** The units of a line with the words the expression was found on in `highlight`, the rest in `color`. */
export function highlightedUnits(sentence: string, matched: string | undefined, expression: string, color: string, highlight: string): Unit[] {
  const marks = highlightWords(sentence, matched, expression);
  let word = -1;
  return unitsOf(sentence, color).map((u, i) => {
    if (i === 0 || u.space) word++;
    return marks[word] ? { ...u, color: highlight } : u;
  });
}
