import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputFormat, Level } from '../common/enums';
import { AnalysisEngine, AnalysisOptions } from './analysis-engine';
import { Expression } from './analysis.types';
import { Lexicon, toPattern } from './lexicon/lexicon';
import { matchSentence } from './lexicon/matcher';
import { Tagger } from './tagger';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { check } = require('../../scripts/check-lexicon.js') as {
  check: (files: string[]) => { problems: string[]; counts: Record<string, { entries: number }> };
};

const options: AnalysisOptions = { format: InputFormat.Auto, language: 'en', maxExpressions: 50, level: Level.Mixed };
let tagger: Tagger;
let lexicon: Lexicon;
let engine: AnalysisEngine;

beforeAll(() => {
  tagger = new Tagger();
  lexicon = new Lexicon({ normalWord: (w) => tagger.normalWord(w) });
  engine = new AnalysisEngine(lexicon);
});

const tokens = (s: string) => {
  const t = tagger.tag(s);
  return { ...t, part: t.normal.map(() => 0) };
};
const found = (sentence: string) => matchSentence(lexicon, tokens(sentence)).map((m) => m.entry.expression);
const analyse = (text: string, extra: Partial<AnalysisOptions> = {}) => engine.analyse(text, { ...options, ...extra });
const named = (r: { expressions: Expression[] }, expression: string) => r.expressions.find((e) => e.expression === expression);
const srt = (lines: [number, number, string][]) => lines.map(([a, b, text], i) => `${i + 1}\n${stamp(a)} --> ${stamp(b)}\n${text}\n`).join('\n');
const stamp = (ms: number) => new Date(ms).toISOString().slice(11, 23).replace('.', ',');

describe('the learner lexicon', () => {
  it('is well formed: at least 1,500 entries with senses, none written twice', () => {
    const dir = join(__dirname, 'lexicon', 'learner');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
    const { problems, counts } = check(files);
    expect(problems).toEqual([]);
    expect(Object.values(counts).reduce((n, c) => n + c.entries, 0)).toBeGreaterThanOrEqual(1500);
    expect(lexicon.size).toBeGreaterThan(3000);
  });

  it("turns phrases into patterns: slots, contractions, hyphens, the tagger's spelling", () => {
    expect(toPattern("break one's heart")).toEqual([{ kind: 'word', word: 'break' }, { kind: 'poss' }, { kind: 'word', word: 'heart' }]);
    expect(toPattern('take someone for granted')?.[1]).toEqual({ kind: 'np' });
    expect(toPattern("can't complain")?.map((t) => (t.kind === 'word' ? t.word : t.kind))).toEqual(['can', 'not', 'complain']);
    expect(toPattern('knee-jerk reaction')?.length).toBe(3);
    expect(toPattern('go through', (w) => tagger.normalWord(w))?.[1]).toEqual({ kind: 'word', word: 'thru' });
    expect(toPattern('hello')).toBeNull();
  });
});

describe('matching', () => {
  it('finds phrasal verbs split by their object, in every form, the imperative and after "gotta" included', () => {
    expect(found('I will figure it out.')).toContain('figure out');
    expect(found('He figured the whole thing out yesterday.')).toContain('figure out');
    expect(found('Drop me off at the corner.')).toContain('drop off');
    expect(found('You gotta cheer up, man.')).toContain('cheer up');
    expect(found('She was riding shotgun.')).toContain('ride shotgun');
    expect(found('Give it a thumbs up.')).not.toContain('give up');
  });

  it('lets the longest expression win: a long idiom is not cut to a wrong short one', () => {
    expect(found('She knocked it out of the park!')).toEqual(['knock it out of the park']);
    expect(found('Hang in there, kiddo.')).toContain('hang in there');
    expect(found("We're back to square one.")).toContain('back to square one');
    expect(found('He got cold feet.')).toContain('get cold feet');
    expect(found("He's not out of the woods yet.")).toContain('out of the woods');
  });

  it('takes no grammar, and no verb with an ordinary object, for an expression', () => {
    expect(found("I'm going to call her tomorrow.")).toEqual([]);
    expect(found("You've got to see this.")).toEqual([]);
    expect(found('What kind of car is that?')).not.toContain('kind of');
    expect(found('In my case, it was fine.')).not.toContain('in case');
    expect(found('She sang a little song.')).toEqual([]);
    for (const s of ['We talked about money.', 'They went to Spain.', 'Sit in the chair.', 'He escaped from the prison.', 'I come from Ohio.'])
      expect(found(s), s).toEqual([]);
  });
});

describe('the sense used in the line', () => {
  it('is chosen from the words around it', () => {
    expect(named(analyse('Hang on a sec, I will be right back.'), 'hang on')?.sense).toBe('wait');
    expect(named(analyse('Pick up the phone! It keeps ringing.'), 'pick up')?.sense).toBe('phone');
    expect(named(analyse('Can you pick the kids up from school at three?'), 'pick up')?.sense).toBe('collect');
    expect(named(analyse('She picked up Spanish in a year.'), 'pick up')?.sense).toBe('learn');
    expect(named(analyse('If he did it, you have to turn him in to the police.'), 'turn in')?.sense).toBe('police');
    expect(named(analyse('I am tired, I think I will turn in early tonight.'), 'turn in')?.sense).toBe('bed');
  });

  it('follows a pronoun object that says person or thing, whatever the next line says', () => {
    // "her" in the next line is a cue of "figure someone out"; "it" says the thing.
    expect(named(analyse('I will figure it out, I promise. She put her career on hold.'), 'figure out')?.sense).toBe('understand');
    expect(named(analyse("I can't figure her out. It makes no sense."), 'figure out')?.sense).toBe('understand-person');
  });

  it('takes a literal use for no expression at all', () => {
    const r = analyse('We broke the ice on the frozen lake to go fishing.');
    expect(named(r, 'break the ice')).toBeUndefined();
    expect(r.stats.literal).toBeGreaterThan(0);
    expect(named(analyse('At the party, a joke broke the ice and everyone relaxed.'), 'break the ice')).toBeDefined();
  });
});

describe('examples a teacher can show', () => {
  it('are at most two cues of a long sentence, with their times', () => {
    const text = srt([
      [1000, 4000, 'So I was thinking that maybe,'],
      [4100, 7000, 'after all the trouble we had last year,'],
      [7100, 9500, 'we could finally'],
      [9600, 12000, 'figure it out together.'],
    ]);
    const e = named(analyse(text), 'figure out')!;
    expect(e.example).toBe('we could finally figure it out together.');
    expect([e.startMs, e.endMs]).toEqual([7100, 12000]);
  });

  it('fall back to cues when the subtitles have no punctuation at all', () => {
    const lines: [number, number, string][] = Array.from({ length: 40 }, (_, i) => [
      i * 2500,
      i * 2500 + 2300,
      i === 25 ? 'and then she gave up on the idea' : 'we walked along the river for a while',
    ]);
    const r = analyse(srt(lines));
    expect(r.stats.sentences).toBeGreaterThanOrEqual(10);
    const e = named(r, 'give up on')!;
    expect(e.endMs! - e.startMs!).toBeLessThanOrEqual(10_000);
    expect(e.example).toContain('gave up on');
  });

  it('are never a lyric when a spoken use exists, nor a line with offensive words', () => {
    const text = srt([
      [1000, 3000, '♪ I fell head over heels for you ♪'],
      [5000, 7000, "For fuck's sake, stop it."],
      [9000, 12000, 'Honestly, I fell head over heels for him.'],
      [14000, 16000, "Don't give up on me, for fuck's sake."],
    ]);
    const r = analyse(text);
    expect(named(r, 'head over heels')?.example).toBe('Honestly, I fell head over heels for him.');
    // Its only use is in an offensive line: the expression is left out rather than shown there.
    expect(named(r, 'give up on')).toBeUndefined();
  });
});

describe('ranking and levels', () => {
  it('ranks an idiom above a transparent phrasal verb, and leaves technical terms out', () => {
    const r = analyse('He sat down. Then he kicked the bucket. The circadian rhythm of bus drivers was studied for two weeks.');
    expect(r.expressions[0].expression).toBe('kick the bucket');
    expect(r.expressions.map((e) => e.expression)).not.toEqual(expect.arrayContaining(['circadian rhythm', 'bus driver']));
  });

  it('keeps the level asked for, fills the list from the nearest levels, and says how many matched exactly', () => {
    const text = 'Hang on a sec. She kicked the bucket. We were in the same boat. Let us call it a day. He beat around the bush.';
    const all = analyse(text).expressions;
    const advanced = all.filter((e) => e.difficulty === Level.Advanced).length;
    const r = analyse(text, { level: Level.Advanced, maxExpressions: all.length });
    expect(r.expressions).toHaveLength(all.length);
    expect(r.stats.exactLevel).toBe(advanced);
    expect(r.expressions.slice(0, advanced).every((e) => e.difficulty === Level.Advanced)).toBe(true);
  });

  it('analyses a real film subtitle file with exact cue times', () => {
    const r = analyse(readFileSync(join(__dirname, '../../test/fixtures/sintel_en.srt'), 'utf8'), { maxExpressions: 10 });
    expect(r.stats.cues).toBeGreaterThan(20);
    for (const e of r.expressions) {
      expect(e.endMs! - e.startMs!).toBeLessThanOrEqual(15_000);
      expect(e.definition.length).toBeGreaterThan(3);
    }
  });

  it('stops at a checkpoint when asked to', () => {
    let calls = 0;
    expect(() =>
      engine.analyse('I will figure it out. '.repeat(200), options, () => {
        if (++calls > 3) throw new Error('stop requested');
      }),
    ).toThrow('stop requested');
  });
});
