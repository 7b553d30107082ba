import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Translation } from '../analysis/analysis.types';
import { DrawText, SHORT_HEIGHT, SHORT_WIDTH } from './ffmpeg-args';
import { FONT_FILES } from './font-metrics';
import { Block, FontMetrics, highlightedUnits, layoutBlocks, PlacedRun, Unit, unitsOf } from './slide-layout';

export interface SlideContent {
  expression: string;
  definition: string;
  example: string;
  matched?: string;
  difficulty: string;
  category?: string;
  /** In the learner's language, when the job has one. */
  translation?: Translation;
  /** One or two similar English expressions. */
  similar?: string[];
}

export const SLIDE_BACKGROUND = '#14213d';
const WHITE = '#ffffff';
const HIGHLIGHT = '#ffd166';
const MUTED = '#c8d0e0';
const SOFT = '#8fa3c7';

const block = (units: Unit[], weight: Block['weight'], size: number, gapAfter: number): Block => ({ units, weight, size, gapAfter });

/**
 * The slide's text blocks: label, the expression and its translation, the definition, the example with the
 * expression highlighted and the example translated, and similar expressions.
 */
export function slideBlocks(c: SlideContent): Block[] {
  const label = [c.difficulty, c.category?.replace('_', ' ')].filter(Boolean).join(' · ').toUpperCase();
  const t = c.translation;
  const blocks: (Block | null)[] = [
    label ? block(unitsOf(label, HIGHLIGHT), 'bold', 0.038, 0.9) : null,
    block(unitsOf(c.expression, WHITE), 'bold', 0.1, t ? 0.25 : 0.55),
    t ? block(unitsOf(t.expression, HIGHLIGHT), 'bold', 0.06, 0.6) : null,
    block(unitsOf(c.definition, MUTED), 'regular', 0.047, 1.1),
    block(highlightedUnits(c.example, c.matched, c.expression, WHITE, HIGHLIGHT), 'regular', 0.055, t ? 0.35 : 0.9),
    t ? block(unitsOf(t.example, MUTED), 'regular', 0.045, 0.9) : null,
    c.similar?.length ? block(unitsOf(`Similar: ${c.similar.join(' · ')}`, SOFT), 'regular', 0.036, 0) : null,
  ];
  return blocks.filter((b): b is Block => b !== null);
}

/** The shorts' texts: the expression above the picture, the line it was said in below. */
export function shortBlocks(c: SlideContent): { top: Block[]; bottom: Block[] } {
  return {
    top: [block(unitsOf(c.expression, HIGHLIGHT), 'bold', 0.045, 0.4), block(unitsOf(c.definition, WHITE), 'regular', 0.024, 0)],
    bottom: [block(unitsOf(c.example, WHITE), 'regular', 0.032, 0)],
  };
}

/**
 * Turns placed runs into drawtext filters. Each run's text goes to a file of its own (drawtext `textfile`),
 * which spares every escaping problem of text inside a filter graph.
 */
export async function toDrawTexts(runs: PlacedRun[], dir: string, prefix: string): Promise<DrawText[]> {
  return Promise.all(
    runs.map(async (r, i) => {
      const textFile = join(dir, `${prefix}-${i}.txt`);
      await writeFile(textFile, r.text);
      return { textFile, fontFile: FONT_FILES[r.weight], x: r.x, y: r.top, size: r.size, color: r.color };
    }),
  );
}

/** The slide's runs, in a box with margins, centred both ways. */
export function layoutSlide(c: SlideContent, width: number, height: number, m: FontMetrics): PlacedRun[] {
  const margin = Math.round(width * 0.07);
  const top = Math.round(height * 0.08);
  return layoutBlocks(slideBlocks(c), { x: margin, y: top, width: width - 2 * margin, height: height - 2 * top }, height, m, true);
}

/** Text above and below a picture of `pictureHeight` centred in the 1080x1920 frame. */
export function layoutShort(c: SlideContent, pictureHeight: number, m: FontMetrics): PlacedRun[] {
  const margin = 60;
  const pictureTop = Math.round((SHORT_HEIGHT - pictureHeight) / 2);
  const room = pictureTop - 2 * margin;
  const { top, bottom } = shortBlocks(c);
  return [
    ...layoutBlocks(top, { x: margin, y: margin, width: SHORT_WIDTH - 2 * margin, height: room }, SHORT_HEIGHT, m),
    ...layoutBlocks(bottom, { x: margin, y: pictureTop + pictureHeight + margin, width: SHORT_WIDTH - 2 * margin, height: room }, SHORT_HEIGHT, m),
  ];
}
