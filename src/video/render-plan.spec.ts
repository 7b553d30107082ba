import { describe, expect, it } from 'vitest';
import { episodeDir, safeName } from './output-layout';
import { expressionBase } from './render-plan';
import { FontMetrics, highlightedUnits, highlightWords, layoutBlocks, lineText, Unit, unitsOf, wrap } from './slide-layout';

describe('safeName', () => {
  it('keeps letters and digits, nothing that could escape a folder', () => {
    expect(safeName('The Bakery: S01/E02 (Café)')).toBe('the-bakery-s01-e02-cafe');
    expect(safeName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeName('...')).toBe('untitled');
    expect(episodeDir('/out', 'Big Buck', 'E01', 'en')).toBe('/out/big-buck/e01/en');
    expect(expressionBase(1, 'figure out')).toBe('02_figure-out');
  });
});

/** Every character 0.5 em wide: easy to reason about. */
const mono: FontMetrics = { width: (t, size) => t.length * size * 0.5, ascent: () => 0.8 };

describe('slide layout', () => {
  const u = (text: string) => unitsOf(text, 'white');
  const texts = (lines: Unit[][]) => lines.map(lineText);

  it('breaks text into units: words with their punctuation, and between words in scripts without spaces', () => {
    expect(u('I figured it out, fast! (well-known)').map((x) => [x.text, x.space])).toEqual([
      ['I', false],
      ['figured', true],
      ['it', true],
      ['out,', true],
      ['fast!', true],
      ['(well-known)', true],
    ]);
    const ja = u('彼はついに秘密をばらした。');
    expect(ja.length).toBeGreaterThan(3);
    expect(lineText(ja)).toBe('彼はついに秘密をばらした。');
    expect(ja.at(-1)!.text.endsWith('。')).toBe(true); // punctuation never opens a line
    expect(lineText(u('그는 결국 비밀을 털어놓았다.'))).toBe('그는 결국 비밀을 털어놓았다.');
  });

  it('wraps units into lines that fit', () => {
    expect(texts(wrap(u('aaaa bbbb cccc'), 10, 'regular', 40, mono))).toEqual(['aaaa', 'bbbb', 'cccc']);
    expect(texts(wrap(u('aa bb cc'), 10, 'regular', 30, mono))).toEqual(['aa bb', 'cc']);
    // Japanese breaks between words, never with spaces added.
    expect(texts(wrap(u('彼はついに秘密をばらした'), 10, 'regular', 30, mono)).join('')).toBe('彼はついに秘密をばらした');
  });

  it('shrinks text that does not fit instead of cutting it, and centres it when asked', () => {
    const long = 'x'.repeat(40);
    const runs = layoutBlocks([{ units: u(long), weight: 'bold', size: 0.1, gapAfter: 0 }], { x: 0, y: 0, width: 200, height: 100 }, 1000, mono);
    expect(runs).toHaveLength(1);
    expect(runs[0].text).toBe(long);
    expect(mono.width(long, runs[0].size, 'bold')).toBeLessThanOrEqual(200);
    const [centred] = layoutBlocks([{ units: u('hi'), weight: 'bold', size: 0.01, gapAfter: 0 }], { x: 0, y: 0, width: 200, height: 100 }, 1000, mono, true);
    expect(centred.top).toBeCloseTo((100 - 10 * 1.25) / 2);
    expect(centred.baseline).toBeCloseTo(centred.top + 8);
  });

  it('places a highlighted run where the line text before it ends, its space included', () => {
    const units = highlightedUnits('I will figure it out.', 'figure it out', 'figure out', 'white', 'gold');
    const runs = layoutBlocks([{ units, weight: 'regular', size: 0.01, gapAfter: 0 }], { x: 0, y: 0, width: 1000, height: 100 }, 1000, mono);
    expect(runs.map((r) => [r.text, r.color])).toEqual([
      ['I will', 'white'],
      ['figure it out.', 'gold'],
    ]);
    const left = (1000 - mono.width('I will figure it out.', 10, 'regular')) / 2;
    expect(runs[1].x).toBeCloseTo(left + mono.width('I will ', 10, 'regular'));
  });

  it('highlights the words the expression was found on', () => {
    expect(highlightWords('Then the birds broke the ice with a song.', 'broke the ice', 'break the ice')).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(highlightWords('I will figure it out.', 'figure it out', 'figure out')).toEqual([false, false, true, true, true]);
  });
});
