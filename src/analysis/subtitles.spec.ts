import { describe, expect, it } from 'vitest';
import { InputFormat } from '../common/enums';
import { InputError } from '../common/errors';
import { checkInput, cleanText, detectFormat, parseSrt, parseVtt, preprocess, segment } from './subtitles';

const SRT = `1
00:00:01,000 --> 00:00:03,500
<i>I will figure it out.</i>

2
00:00:04,000 --> 00:00:06,000
{\\an8}[sighs] She put her career

3
00:00:06,100 --> 00:00:08,000
on hold. -[laughs] Really?
`;

describe('detectFormat', () => {
  it('tells SRT, WebVTT and plain text apart', () => {
    expect(detectFormat(SRT)).toBe('srt');
    expect(detectFormat('\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\nHi.')).toBe('vtt');
    expect(detectFormat('Just some text. With two sentences.')).toBe('plain');
  });
});

describe('parseSrt', () => {
  it('reads cue times and multi-line text, CRLF included', () => {
    const cues = parseSrt(SRT.replace(/\n/g, '\r\n'));
    expect(cues).toHaveLength(3);
    expect(cues[0]).toEqual({ startMs: 1000, endMs: 3500, text: '<i>I will figure it out.</i>' });
    expect(cues[2].startMs).toBe(6100);
  });

  it('rejects a bad timestamp with the cue number', () => {
    expect(() => parseSrt('1\n00:00:01,000 --> 00:0x:03,000\nHello.')).toThrow(/SRT cue 1: bad timestamp/);
    expect(() => parseSrt('1\n00:00:05,000 --> 00:00:03,000\nHello.')).toThrow(/ends before it starts/);
    expect(() => parseSrt('1\n00:00:01,000 --> 00:00:73,000\nHello.')).toThrow(/below 60/);
  });

  it('rejects a file without cues', () => {
    expect(() => parseSrt('hello\nworld')).toThrow(InputError);
  });
});

describe('parseVtt', () => {
  it('skips header, notes and styles, reads short and long timestamps with settings', () => {
    const cues = parseVtt(
      'WEBVTT - film\n\nNOTE a note\n\nSTYLE\n::cue {}\n\nintro\n00:01.500 --> 00:03.000 align:start\n<v Anna>Hello <c.yellow>there</c>.\n\n01:00:00.000 --> 01:00:02.250\nBye.',
    );
    expect(cues).toEqual([
      { startMs: 1500, endMs: 3000, text: '<v Anna>Hello <c.yellow>there</c>.' },
      { startMs: 3600000, endMs: 3602250, text: 'Bye.' },
    ]);
  });
});

describe('cleanText', () => {
  it('strips markup, sound and speaker tags, music notes and dashes', () => {
    expect(cleanText('<i>Hello</i> {\\an8}there')).toBe('Hello there');
    expect(cleanText('[sighs] [Anton] I know. (laughs)')).toBe('I know.');
    expect(cleanText('-[laughs] Fine.\n- Okay.')).toBe('Fine. Okay.');
    expect(cleanText('♪ la la ♪')).toBe('la la');
    expect(cleanText('ANTON: Wait!')).toBe('Wait!');
    expect(cleanText('It’s “fine”… &amp; ok')).toBe('It\'s "fine"... & ok');
    expect(cleanText('[music]')).toBe('');
  });
});

describe('segment', () => {
  it('joins a sentence across cues and keeps the first start and last end', () => {
    const s = segment(parseSrt(SRT));
    expect(s.map((x) => x.text)).toEqual(['I will figure it out.', 'She put her career on hold.', 'Really?']);
    expect(s[1]).toMatchObject({ startMs: 4000, endMs: 8000 });
    expect(s[2]).toMatchObject({ startMs: 6100, endMs: 8000 });
  });

  it('ends an unfinished sentence at a long pause', () => {
    const s = segment([
      { startMs: 0, endMs: 1000, text: 'So' },
      { startMs: 9000, endMs: 10000, text: 'what now?' },
    ]);
    expect(s.map((x) => x.text)).toEqual(['So', 'what now?']);
  });
});

describe('preprocess', () => {
  it('gives plain text null times and splits paragraphs', () => {
    const r = preprocess('First line without stop\n\nSecond one. Third!', InputFormat.Auto);
    expect(r.format).toBe('plain');
    expect(r.sentences.map((s) => [s.text, s.startMs])).toEqual([
      ['First line without stop', null],
      ['Second one.', null],
      ['Third!', null],
    ]);
  });

  it('refuses binary, empty and tag-only input with a message that says what to send', () => {
    expect(() => preprocess('abc\u0000def', InputFormat.Auto)).toThrow(/binary/);
    expect(() => preprocess('   ', InputFormat.Auto)).toThrow(/empty/);
    expect(() => preprocess('1\n00:00:01,000 --> 00:00:02,000\n[music]\n', InputFormat.Auto)).toThrow(/no spoken text/);
  });

  it('honours a forced format', () => {
    expect(() => checkInput('plain words only', InputFormat.Srt)).toThrow(/SRT cue 1/);
    expect(checkInput(SRT, InputFormat.Plain)).toBe('plain');
  });
});

describe('SRT without blank lines between cues', () => {
  it('splits the cues: the next cue number and times never end up in the text', () => {
    const cues = parseSrt(
      '1\n00:00:01,000 --> 00:00:02,000\nHello there.\n2\n00:00:03,000 --> 00:00:04,500\nGeneral Kenobi.\n3\n00:00:05,000 --> 00:00:06,000\nI said 42\n\n4\n00:00:07,000 --> 00:00:08,000\nBye.',
    );
    expect(cues).toEqual([
      { startMs: 1000, endMs: 2000, text: 'Hello there.' },
      { startMs: 3000, endMs: 4500, text: 'General Kenobi.' },
      { startMs: 5000, endMs: 6000, text: 'I said 42' },
      { startMs: 7000, endMs: 8000, text: 'Bye.' },
    ]);
  });

  it('keeps a cue whose only line is a number when a blank line follows it', () => {
    expect(parseSrt('1\n00:00:01,000 --> 00:00:02,000\n42\n\n2\n00:00:03,000 --> 00:00:04,000\nYes.').map((c) => c.text)).toEqual(['42', 'Yes.']);
  });
});

describe('ASS / SSA', () => {
  const ASS = [
    '[Script Info]',
    'Title: test',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize',
    'Style: Default,Arial,20',
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    'Dialogue: 0,0:00:04.00,0:00:06.50,Default,,0,0,0,,She put her career, sadly,\\Non hold.',
    'Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,not spoken',
    'Dialogue: 0,0:00:01.00,0:00:03.50,Default,,0,0,0,,{\\i1}I will figure it out.{\\i0}',
    'Dialogue: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}',
  ].join('\r\n');

  it('is detected and read in time order, markup and drawings left out', () => {
    expect(detectFormat(ASS)).toBe('ass');
    const result = preprocess(ASS, InputFormat.Auto);
    expect(result.format).toBe('ass');
    expect(result.sentences.map((s) => [s.text, s.startMs, s.endMs])).toEqual([
      ['I will figure it out.', 1000, 3500],
      ['She put her career, sadly, on hold.', 4000, 6500],
    ]);
  });

  it('refuses bad times with the line', () => {
    expect(() => checkInput('[Events]\nDialogue: 0,0:0x:04.00,0:00:06.50,Default,,0,0,0,,Hi.', InputFormat.Auto)).toThrow(/ASS line 2: bad Dialogue times/);
  });
});
