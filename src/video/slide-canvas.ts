import { createCanvas, GlobalFonts, Image, loadImage } from '@napi-rs/canvas';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FontMetrics, PlacedRun, Weight } from './slide-layout';

const INTER = join(require.resolve('@expo-google-fonts/inter/package.json'), '..');
/** Inter's two weights: the slides' and the burned subtitles' Latin font. */
export const INTER_FILES = [join(INTER, '400Regular', 'Inter_400Regular.ttf'), join(INTER, '700Bold', 'Inter_700Bold.ttf')];

/**
 * Inter (shipped through npm, OFL) for English, then Noto for every other script, from the system: Debian's
 * fonts-noto-cjk (Chinese, Japanese, Korean) and fonts-noto-core (Arabic, Hebrew, Devanagari, Thai…),
 * which the project's scripts and its Dockerfile install. A glyph Inter lacks is drawn from the next font
 * that has it.
 */
const FAMILIES = ['Inter', 'Noto Sans CJK JP', 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans Devanagari', 'Noto Sans Thai', 'DejaVu Sans'];
const STACK = FAMILIES.map((f) => `"${f}"`).join(', ');

/** Where Debian puts the CJK fonts the translation lines need. */
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

let registered = false;
function registerFonts(): void {
  if (registered) return;
  for (const file of INTER_FILES) GlobalFonts.registerFromPath(file, 'Inter');
  registered = true;
}

/** Whether the fonts of Chinese, Japanese and Korean are there (else their translations would be boxes). */
export const hasCjkFonts = () => existsSync(CJK_FONT) || GlobalFonts.families.some((f) => f.family.startsWith('Noto Sans CJK'));

export const fontOf = (size: number, weight: Weight) => `${weight === 'bold' ? 'bold ' : ''}${size.toFixed(2)}px ${STACK}`;

/**
 * Slides measured and drawn by one engine (Skia, through @napi-rs/canvas): the layout's widths are the
 * widths drawn, so spaces and baselines come out exactly as laid out, in every script.
 */
export class SlideCanvas implements FontMetrics {
  private readonly ctx;
  private readonly ascents = new Map<Weight, number>();

  constructor() {
    registerFonts();
    this.ctx = createCanvas(8, 8).getContext('2d');
  }

  width(text: string, size: number, weight: Weight): number {
    this.ctx.font = fontOf(size, weight);
    return this.ctx.measureText(text).width;
  }

  ascent(weight: Weight): number {
    let a = this.ascents.get(weight);
    if (a === undefined) {
      this.ctx.font = fontOf(100, weight);
      const m = this.ctx.measureText('Hg');
      a = (m.fontBoundingBoxAscent || m.actualBoundingBoxAscent || 97) / 100;
      this.ascents.set(weight, a);
    }
    return a;
  }

  /**
   * A PNG of the runs on a plain background (`#rrggbb`), or on a transparent one (null: an overlay), with
   * pictures (a logo) drawn first.
   */
  png(runs: PlacedRun[], width: number, height: number, background: string | null, pictures: Picture[] = []): Buffer {
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (background) {
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, width, height);
    }
    for (const p of pictures) ctx.drawImage(p.image, p.x, p.y, p.width, p.height);
    ctx.textBaseline = 'alphabetic';
    for (const r of runs) {
      ctx.font = fontOf(r.size, r.weight);
      ctx.fillStyle = r.color;
      ctx.fillText(r.text, r.x, r.baseline);
    }
    return canvas.toBuffer('image/png');
  }
}

/** A picture placed on a slide or overlay. */
export interface Picture {
  image: Image;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Reads a PNG or JPEG (a creator's logo); a clear error when it is not one. */
export async function loadPicture(path: string): Promise<Image> {
  try {
    return await loadImage(path);
  } catch (err) {
    throw new Error(`LOGO_PATH: cannot read the picture (${(err as Error).message}); give a PNG or JPEG file`, { cause: err });
  }
}
