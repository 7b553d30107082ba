import { Translation } from '../analysis/analysis.types';
import { SHORT_HEIGHT, SHORT_WIDTH } from './ffmpeg-args';
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

/** The slide's runs, in a box with margins, centred both ways. */
export function layoutSlide(c: SlideContent, width: number, height: number, m: FontMetrics): PlacedRun[] {
  const margin = Math.round(width * 0.07);
  const top = Math.round(height * 0.08);
  return layoutBlocks(slideBlocks(c), { x: margin, y: top, width: width - 2 * margin, height: height - 2 * top }, height, m, true);
}

/**
 * The 9:16 frame of a short: the title area on top (inside the platforms' safe area), the video band (a
 * centre crop of the scene, 56% of the frame), the subtitles under it, and room below for the app's controls.
 */
export const SHORT_LAYOUT = { margin: 70, titleTop: 150, bandTop: 400, bandSize: 1080, subtitleGap: 28, bottomRoom: 260 } as const;

/** "3/8": where a lesson stands among the episode's. */
export const counterOf = (number: number, total: number) => `${number}/${total}`;

/** The short's title and hook above the band: the counter and show, the expression, its translation. */
function shortTitleBlocks(c: SlideContent, counter: string, show: string): Block[] {
  const t = c.translation;
  return [
    block(unitsOf(`${counter} · ${show ? `${show} · ` : ''}English in a minute`, SOFT), 'regular', 0.16, 0.5),
    block(unitsOf(c.expression, HIGHLIGHT), 'bold', 0.36, t ? 0.2 : 0),
    t ? block(unitsOf(t.expression, WHITE), 'bold', 0.2, 0) : null,
  ].filter((b): b is Block => b !== null);
}

/** The runs of the short's title area (drawn on a transparent overlay, or on the vertical slide). */
export function layoutShortTitle(c: SlideContent, counter: string, show: string, m: FontMetrics): PlacedRun[] {
  const { margin, titleTop, bandTop } = SHORT_LAYOUT;
  const height = bandTop - titleTop - 30;
  return layoutBlocks(shortTitleBlocks(c, counter, show), { x: margin, y: titleTop, width: SHORT_WIDTH - 2 * margin, height }, height, m, true);
}

/** The vertical slide: the short's title area, then the slide's blocks where the band was and below. */
export function layoutVerticalSlide(c: SlideContent, counter: string, show: string, m: FontMetrics): PlacedRun[] {
  const { margin, bandTop, bottomRoom } = SHORT_LAYOUT;
  const box = { x: margin, y: bandTop, width: SHORT_WIDTH - 2 * margin, height: SHORT_HEIGHT - bottomRoom - bandTop };
  // Sized as on a 1250 px tall slide: the width, not the height, is what a phone's slide is short of.
  return [...layoutShortTitle(c, counter, show, m), ...layoutBlocks(slideBlocks(c), box, 1250, m, true)];
}

/** The long-form's title card before a lesson: "3/8", the expression, its translation. */
export function layoutTitleCard(c: SlideContent, counter: string, width: number, height: number, m: FontMetrics): PlacedRun[] {
  const t = c.translation;
  const blocks = [
    block(unitsOf(counter, HIGHLIGHT), 'bold', 0.07, 0.6),
    block(unitsOf(c.expression, WHITE), 'bold', 0.11, t ? 0.3 : 0),
    t ? block(unitsOf(t.expression, MUTED), 'bold', 0.06, 0) : null,
  ].filter((b): b is Block => b !== null);
  const margin = Math.round(width * 0.08);
  return layoutBlocks(blocks, { x: margin, y: Math.round(height * 0.1), width: width - 2 * margin, height: Math.round(height * 0.8) }, height, m, true);
}
