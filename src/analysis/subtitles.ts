import { InputFormat } from '../common/enums';
import { InputError } from '../common/errors';
import { ConcreteFormat, Cue, PreprocessResult, Sentence, SentencePart } from './analysis.types';

const SRT_TIME = /^\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})/;
const VTT_TIME = /^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})\s*-->\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})\.(\d{1,3})(?:\s|$)/;
/** A cue whose next one starts later than this ends its sentence even without a full stop. */
const SENTENCE_GAP_MS = 2000;

/** Rejects input that is not text: NUL bytes, or many control or replacement characters. */
export function assertText(text: string): void {
  if (!text.trim()) throw new InputError('text is empty: send the subtitle file or the plain text to analyse');
  if (text.includes('\u0000')) throw new InputError('text looks binary (it contains NUL bytes): send a UTF-8 text or subtitle file');
  const sample = text.slice(0, 20000);
  // Control characters are exactly what this looks for.
  // eslint-disable-next-line no-control-regex
  const bad = sample.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (bad > Math.max(8, sample.length * 0.01)) {
    throw new InputError('text looks binary (many control or invalid characters): send a UTF-8 text or subtitle file');
  }
}

export function detectFormat(text: string): ConcreteFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (/^WEBVTT(?:[ \t]|$)/m.test(head.slice(0, 10))) return InputFormat.Vtt;
  if (/^\[(?:Script Info|V4\+? Styles|Events)\]/im.test(head.slice(0, 5000))) return InputFormat.Ass;
  if (/^(?:\d+\s*\r?\n)?\s*\d{1,3}:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->/m.test(head.slice(0, 2000))) return InputFormat.Srt;
  return InputFormat.Plain;
}

function ms(h: string | undefined, m: string, s: string, frac: string): number {
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(frac.padEnd(3, '0'));
}

function blocks(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((b) => b.split('\n').filter((l) => l.trim() !== ''))
    .filter((b) => b.length);
}

function timedCue(lines: string[], timeLine: number, re: RegExp, where: string): Cue | null {
  const m = re.exec(lines[timeLine]);
  if (!m) throw new InputError(`${where}: bad timestamp line "${lines[timeLine].trim().slice(0, 80)}" (expected "00:01:02,500 --> 00:01:04,000")`);
  const startMs = ms(m[1], m[2], m[3], m[4]);
  const endMs = ms(m[5], m[6], m[7], m[8]);
  if (Number(m[3]) > 59 || Number(m[7]) > 59 || Number(m[2]) > 59 || Number(m[6]) > 59) {
    throw new InputError(`${where}: minutes and seconds must be below 60 in "${lines[timeLine].trim()}"`);
  }
  if (endMs < startMs) throw new InputError(`${where}: the cue ends before it starts ("${lines[timeLine].trim()}")`);
  const text = lines.slice(timeLine + 1).join('\n');
  return text.trim() ? { startMs, endMs, text } : null;
}

/**
 * Reads SRT line by line: a timestamp line starts a cue, whatever comes before it. Files in the wild often
 * leave out the blank line between cues; the cue number standing right before a timestamp line belongs to
 * that next cue, not to the text of the one before.
 */
export function parseSrt(text: string): Cue[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const cues: Cue[] = [];
  let open: { time: string; text: string[] } | null = null;
  const close = () => {
    if (!open) return;
    while (open.text.length && !open.text.at(-1)!.trim()) open.text.pop();
    const cue = timedCue([open.time, ...open.text.filter((l) => l.trim())], 0, SRT_TIME, `SRT cue ${cues.length + 1}`);
    if (cue) cues.push(cue);
  };
  for (const line of lines) {
    if (line.includes('-->')) {
      if (open) {
        while (open.text.length && !open.text.at(-1)!.trim()) open.text.pop();
        if (/^\s*\d+\s*$/.test(open.text.at(-1) ?? '')) open.text.pop();
      }
      close();
      open = { time: line, text: [] };
    } else if (open) open.text.push(line);
    else if (line.trim() && !/^\s*\d+\s*$/.test(line)) {
      throw new InputError(`SRT cue ${cues.length + 1}: no "start --> end" timestamp line near "${line.trim().slice(0, 60)}"`);
    }
  }
  close();
  if (!cues.length) throw new InputError('no subtitle cue could be parsed: check that the file is SRT, WebVTT or ASS, or send format "plain"');
  return cues;
}

/** h:mm:ss.cc, the times of ASS/SSA Dialogue lines. */
const ASS_TIME = /^(\d{1,2}):(\d{2}):(\d{2})[.:](\d{1,3})$/;
const ASS_DEFAULT_FORMAT = ['layer', 'start', 'end', 'style', 'name', 'marginl', 'marginr', 'marginv', 'effect', 'text'];

/**
 * Reads the Dialogue lines of an ASS / SSA file's [Events] section in the order its Format line gives;
 * `\N` becomes a line break, vector drawings are skipped, and cues come out in time order.
 */
export function parseAss(text: string): Cue[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let format = ASS_DEFAULT_FORMAT;
  let inEvents = false;
  const cues: Cue[] = [];
  lines.forEach((line, i) => {
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) return void (inEvents = section[1].toLowerCase() === 'events');
    if (!inEvents) return;
    const m = /^\s*(Format|Dialogue)\s*:\s*(.*)$/i.exec(line);
    if (!m) return;
    if (m[1].toLowerCase() === 'format') return void (format = m[2].split(',').map((f) => f.trim().toLowerCase()));
    const fields = m[2].split(',');
    const textAt = format.indexOf('text');
    const value = (name: string) => fields[format.indexOf(name)]?.trim() ?? '';
    const body = fields.slice(textAt).join(',');
    const [start, end] = [value('start'), value('end')].map((t) => ASS_TIME.exec(t));
    if (!start || !end) throw new InputError(`ASS line ${i + 1}: bad Dialogue times "${value('start')}", "${value('end')}" (expected h:mm:ss.cc)`);
    if (/\{[^}]*\\p[1-9]/.test(body)) return; // a vector drawing, not words
    const startMs = ms(start[1], start[2], start[3], start[4].padEnd(2, '0').padEnd(3, '0'));
    const endMs = ms(end[1], end[2], end[3], end[4].padEnd(2, '0').padEnd(3, '0'));
    if (endMs < startMs) throw new InputError(`ASS line ${i + 1}: the cue ends before it starts`);
    const cueText = body.replace(/\\[Nn]/g, '\n').replace(/\\h/g, ' ');
    if (cueText.trim()) cues.push({ startMs, endMs, text: cueText });
  });
  if (!cues.length) throw new InputError("no Dialogue line could be read from the ASS/SSA file's [Events] section");
  return cues.sort((a, b) => a.startMs - b.startMs);
}

export function parseVtt(text: string): Cue[] {
  const all = blocks(text);
  if (!all.length || !/^WEBVTT/.test(all[0][0])) throw new InputError('WebVTT must start with a "WEBVTT" line');
  const cues: Cue[] = [];
  all.slice(1).forEach((lines, i) => {
    if (/^(NOTE|STYLE|REGION)\b/.test(lines[0])) return;
    const timeLine = lines.findIndex((l) => l.includes('-->'));
    if (timeLine < 0 || timeLine > 1) throw new InputError(`WebVTT block ${i + 1}: no "start --> end" timestamp line near "${lines[0].trim().slice(0, 60)}"`);
    const cue = timedCue(lines, timeLine, VTT_TIME, `WebVTT cue ${i + 1}`);
    if (cue) cues.push(cue);
  });
  if (!cues.length) throw new InputError('no subtitle cue could be parsed from the WebVTT file');
  return cues;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Cleans one cue or paragraph: markup, ASS override tags, sound and speaker tags, music notes, speaker
 * dashes; normalises Unicode, quotes and whitespace. Returns '' when nothing spoken is left.
 */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\{\\[^}]*\}/g, ' ') // {\an8}
    .replace(/<[^>]{0,200}>/g, ' ') // <i>, <font ...>, <c.yellow>, <00:00:01.000>
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ENTITIES[e])
    .replace(/\[[^\]]{0,80}\]|\([^)]{0,80}\)|\*[^*\n]{1,40}\*/g, ' ') // [sighs] [Anton] (laughs) *gasps*
    .replace(/[♪♫♬♩#]+/g, ' ')
    .replace(/^[ \t]*[A-Z][A-Z .'-]{1,30}:(?=\s)/gm, ' ') // ANTON: speaker labels
    .replace(/^[ \t]*[-–—]+/gm, ' ') // dialogue dashes
    .replace(/[‘’´`]/g, "'")
    .replace(/[“”„]/g, '"')
    .replace(/…/g, '...')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:!?-]+$/, '')
    .trim();
}

/** Sentence pieces of a text; the last piece may be unfinished (no terminal punctuation). */
function pieces(text: string): string[] {
  return (
    text
      .match(/[^.!?]+(?:[.!?]+["')\]]*|$)|[.!?]+/g)
      ?.map((p) => p.trim().replace(/^[-–—]+\s*/, ''))
      .filter(Boolean) ?? []
  );
}

const ends = (s: string) => /[.!?]["')\]]*$/.test(s) && !/\b(Mr|Mrs|Ms|Dr|St|Jr|vs)\.$/.test(s);

/** A sentence ends at most after this many cues, even without a full stop (subtitles without punctuation). */
export const MAX_SENTENCE_CUES = 4;
/** ...and at most after about this many characters: an unpunctuated text is cut between words. */
export const MAX_SENTENCE_CHARS = 400;

/** Pieces of at most MAX_SENTENCE_CHARS characters, cut between words. */
function bounded(piece: string): string[] {
  if (piece.length <= MAX_SENTENCE_CHARS) return [piece];
  const out: string[] = [];
  let rest = piece;
  while (rest.length > MAX_SENTENCE_CHARS) {
    const space = rest.lastIndexOf(' ', MAX_SENTENCE_CHARS);
    const cut = space > MAX_SENTENCE_CHARS / 2 ? space : MAX_SENTENCE_CHARS;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** A cue is sung when it carries music notes (some subtitles mark songs with # instead). */
const isLyric = (raw: string) => /[♪♫♬]/.test(raw) || /^\s*#|#\s*$/.test(raw);

/**
 * Joins cues into sentences; a sentence spanning cues gets the first's start and the last's end, and keeps
 * its pieces cue by cue (`parts`). A sentence also ends at a long pause, after MAX_SENTENCE_CUES cues and
 * after about MAX_SENTENCE_CHARS characters, so that text without punctuation still comes out in
 * sentence-sized pieces; a sung cue never shares a sentence with a spoken one.
 */
export function segment(cues: { startMs: number | null; endMs: number | null; text: string }[]): Sentence[] {
  const out: Sentence[] = [];
  let parts: SentencePart[] = [];
  let lastCue = -1;
  const text = () => parts.map((p) => p.text).join(' ');
  const flush = () => {
    const joined = text();
    if (/[A-Za-z0-9]/.test(joined)) {
      out.push({ index: out.length, text: joined, startMs: parts[0].startMs, endMs: parts[parts.length - 1].endMs, parts });
    }
    parts = [];
  };
  cues.forEach((cue, c) => {
    const clean = cleanText(cue.text);
    if (!clean) return;
    const lyric = isLyric(cue.text);
    const last = parts[parts.length - 1];
    if (last && cue.startMs !== null && last.endMs !== null && cue.startMs - last.endMs > SENTENCE_GAP_MS) flush();
    if (parts.length && (parts.length >= MAX_SENTENCE_CUES || parts[parts.length - 1].lyric !== lyric)) flush();
    for (const piece of pieces(clean).flatMap(bounded)) {
      if (parts.length && text().length + piece.length > MAX_SENTENCE_CHARS) flush();
      const open = parts[parts.length - 1];
      if (open && lastCue === c) open.text = `${open.text} ${piece}`;
      else parts.push({ text: piece, startMs: cue.startMs, endMs: cue.endMs, lyric });
      lastCue = c;
      if (ends(piece)) flush();
    }
    // Untimed paragraphs (plain text) never run into each other.
    if (cue.startMs === null) flush();
  });
  flush();
  return out;
}

function parseCues(text: string, format: Exclude<ConcreteFormat, InputFormat.Plain>): Cue[] {
  if (format === InputFormat.Srt) return parseSrt(text);
  if (format === InputFormat.Vtt) return parseVtt(text);
  return parseAss(text);
}

/** Stage 1 as a pure function: detect, parse, clean, segment. */
export function preprocess(text: string, format: InputFormat): PreprocessResult {
  assertText(text);
  const concrete = format === InputFormat.Auto ? detectFormat(text) : format;
  if (concrete === InputFormat.Plain) {
    const paragraphs = text
      .replace(/\r\n?/g, '\n')
      .split(/\n\s*\n/)
      .map((p) => ({ startMs: null, endMs: null, text: p }));
    const sentences = segment(paragraphs);
    if (!sentences.length) throw new InputError('no words found in the text');
    return { format: concrete, cues: paragraphs.length, sentences };
  }
  const cues = parseCues(text, concrete);
  const sentences = segment(cues);
  if (!sentences.length) throw new InputError('the subtitles hold no spoken text once tags and sound effects are removed');
  return { format: concrete, cues: cues.length, sentences };
}

/**
 * The spoken cues of a subtitle file, cleaned (tags, sound effects and speaker labels removed), in time order:
 * what the learning videos burn in. Plain text has none.
 */
export function spokenCues(text: string, format: InputFormat = InputFormat.Auto): Cue[] {
  const concrete = format === InputFormat.Auto ? detectFormat(text) : format;
  if (concrete === InputFormat.Plain) return [];
  return parseCues(text, concrete)
    .map((c) => ({ ...c, text: cleanText(c.text) }))
    .filter((c) => c.text)
    .sort((a, b) => a.startMs - b.startMs);
}

/** The checks of stage 1 that are cheap enough to run at submit time, so that bad input is a 400 there. */
export function checkInput(text: string, format: InputFormat): ConcreteFormat {
  assertText(text);
  const concrete = format === InputFormat.Auto ? detectFormat(text) : format;
  if (concrete !== InputFormat.Plain) parseCues(text, concrete);
  return concrete;
}
