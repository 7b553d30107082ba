import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DrawText, SHORT_HEIGHT, SHORT_WIDTH } from './ffmpeg-args';
import { FONT_FILES } from './font-metrics';
import { Block, FontMetrics, highlightWords, layoutBlocks, PlacedRun } from './slide-layout';

export interface SlideContent {
  expression: string;
  definition: string;
  example: string;
  matched?: string;
  difficulty: string;
  category?: string;
}

export const SLIDE_BACKGROUND = '0x14213d';
const WHITE = 'white';
const HIGHLIGHT = '0xffd166';
const MUTED = '0xc8d0e0';

/** The slide's text blocks: label, expression, definition, and the example with the expression highlighted. */
export function slideBlocks(c: SlideContent): Block[] {
  const label = [c.difficulty, c.category?.replace('_', ' ')].filter(Boolean).join(' · ').toUpperCase();
  const marks = highlightWords(c.example, c.matched, c.expression);
  return [
    { words: words(label, HIGHLIGHT), weight: 'bold', size: 0.04, gapAfter: 0.8 },
    { words: words(c.expression, WHITE), weight: 'bold', size: 0.11, gapAfter: 0.5 },
    { words: words(c.definition, MUTED), weight: 'regular', size: 0.05, gapAfter: 1.2 },
    {
      words: c.example
        .split(/\s+/)
        .filter(Boolean)
        .map((w, i) => ({ text: w, color: marks[i] ? HIGHLIGHT : WHITE })),
      weight: 'regular',
      size: 0.055,
      gapAfter: 0,
    },
  ];
}

/** The shorts' texts: the expression above the picture, the line it was said in below. */
export function shortBlocks(c: SlideContent): { top: Block[]; bottom: Block[] } {
  return {
    top: [
      { words: words(c.expression, HIGHLIGHT), weight: 'bold', size: 0.045, gapAfter: 0.4 },
      { words: words(c.definition, WHITE), weight: 'regular', size: 0.024, gapAfter: 0 },
    ],
    bottom: [{ words: words(c.example, WHITE), weight: 'regular', size: 0.032, gapAfter: 0 }],
  };
}

const words = (text: string, color: string) =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => ({ text: w, color }));

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

export function layoutSlide(c: SlideContent, width: number, height: number, m: FontMetrics): PlacedRun[] {
  const margin = Math.round(width * 0.07);
  return layoutBlocks(slideBlocks(c), { x: margin, y: Math.round(height * 0.12), width: width - 2 * margin, height: Math.round(height * 0.78) }, height, m);
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
