import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as opentype from 'opentype.js';
import { FontMetrics, Weight } from './slide-layout';

/** Inter, shipped through npm (@expo-google-fonts/inter, OFL): the same glyphs on every machine. */
export const FONT_FILES: Record<Weight, string> = {
  regular: join(require.resolve('@expo-google-fonts/inter/package.json'), '..', '400Regular', 'Inter_400Regular.ttf'),
  bold: join(require.resolve('@expo-google-fonts/inter/package.json'), '..', '700Bold', 'Inter_700Bold.ttf'),
};

/** Text widths from the font's own advance widths (opentype.js). */
export class InterMetrics implements FontMetrics {
  private readonly fonts: Record<Weight, opentype.Font>;
  private readonly cache = new Map<string, number>();

  constructor() {
    const load = (file: string) => {
      const b = readFileSync(file);
      return opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    this.fonts = { regular: load(FONT_FILES.regular), bold: load(FONT_FILES.bold) };
  }

  width(text: string, size: number, weight: Weight): number {
    const font = this.fonts[weight];
    let units = 0;
    for (const ch of text) {
      const key = `${weight}:${ch}`;
      let w = this.cache.get(key);
      if (w === undefined) {
        w = font.charToGlyph(ch).advanceWidth ?? font.unitsPerEm / 2;
        this.cache.set(key, w);
      }
      units += w;
    }
    return (units / font.unitsPerEm) * size;
  }

  ascent(weight: Weight): number {
    const font = this.fonts[weight];
    return font.ascender / font.unitsPerEm;
  }
}
