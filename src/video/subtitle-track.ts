// Pure builder of the subtitles burned into the lessons (an ASS document that ffmpeg's libass draws): the
// spoken lines of a scene, the expression highlighted in the line it is said in, and under that line its
// translation in the learner's language. Each line sits on a translucent box, so it reads on any picture.
import { highlightWords } from './slide-layout';

export interface SubtitleLine {
  /** Relative to the start of the clip the subtitles are burned into. */
  startMs: number;
  endMs: number;
  text: string;
  /** The expression said in this line: its words are highlighted. */
  highlight?: { matched: string; expression: string };
  /** The line in the learner's language, shown under it. */
  translation?: string;
}

export interface SubtitleGeometry {
  /** The frame the subtitles are laid out on (PlayResX/Y). */
  width: number;
  height: number;
  fontSize: number;
  /** 2: bottom centre (the horizontal lessons); 8: top centre, from `marginV` (under the shorts' video band). */
  alignment: 2 | 8;
  marginV: number;
  marginH: number;
}

/** The family libass takes from the fonts folder the renderer gives it (Inter, shipped through npm). */
export const SUBTITLE_FONT = 'Inter';
/** Latin, Cyrillic and Greek translation lines; libass falls back through fontconfig (Noto CJK…) per glyph. */
const TRANSLATION_FONT = 'Noto Sans';

/** `#rrggbb` + opacity as ASS's &HAABBGGRR (alpha 00 is opaque). */
export function assColour(hex: string, opacity = 1): string {
  const [r, g, b] = [1, 3, 5].map((i) => hex.slice(i, i + 2).toUpperCase());
  const alpha = Math.round((1 - opacity) * 255)
    .toString(16)
    .padStart(2, '0')
    .toUpperCase();
  return `&H${alpha}${b}${g}${r}`;
}

const TEXT = '#ffffff';
export const SUBTITLE_HIGHLIGHT = '#ffd166';
const TRANSLATION = '#c8e6ff';

/** Text as ASS shows it literally: braces would open override blocks, a backslash an escape. */
export function assText(text: string): string {
  return text
    .replace(/\\/g, '\u29f5')
    .replace(/\{/g, '(')
    .replace(/\}/g, ')')
    .replace(/\s*\n\s*/g, ' ');
}

/** ASS time: H:MM:SS.cc (centiseconds). */
export function assTime(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.floor(cs / 360000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/** A line with the words the expression was said in coloured, the rest in the style's colour. */
function highlighted(text: string, matched: string, expression: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const marks = highlightWords(text, matched, expression);
  const on = `{\\c${assColour(SUBTITLE_HIGHLIGHT)}\\b1}`;
  return words.map((w, i) => `${marks[i] && !marks[i - 1] ? on : ''}${assText(w)}${marks[i] && !marks[i + 1] ? '{\\r}' : ''}`).join(' ');
}

/** The ASS document of these lines on this frame. */
export function subtitleDocument(lines: SubtitleLine[], g: SubtitleGeometry): string {
  const box = Math.max(2, Math.round(g.fontSize * 0.25));
  const outline = Math.max(1, Math.round(g.fontSize * 0.04));
  const style = (name: string, font: string, size: number, colour: string) =>
    // Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut,
    // ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
    // BorderStyle 4 (libass): one translucent box behind each event's lines, whatever colours they mix; a thin
    // outline keeps the letters sharp on it.
    `Style: ${name},${font},${Math.round(size)},${assColour(colour)},${assColour(colour)},${assColour('#000000', 0.9)},${assColour('#000000', 0.6)},0,0,0,0,100,100,0,0,4,${outline},${box},${g.alignment},${g.marginH},${g.marginH},${g.marginV},1`;
  const events = lines
    .filter((l) => l.endMs > l.startMs && l.text.trim())
    .map((l) => {
      const english = l.highlight ? highlighted(l.text, l.highlight.matched, l.highlight.expression) : assText(l.text);
      const text = l.translation?.trim() ? `${english}\\N{\\rTranslation}${assText(l.translation)}` : english;
      return `Dialogue: 0,${assTime(l.startMs)},${assTime(l.endMs)},Line,,0,0,0,,${text}`;
    });
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${g.width}`,
    `PlayResY: ${g.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    style('Line', SUBTITLE_FONT, g.fontSize, TEXT),
    style('Translation', TRANSLATION_FONT, g.fontSize * 0.82, TRANSLATION),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events,
    '',
  ].join('\n');
}
