import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputFormat, Level } from '../common/enums';
import { AnalysisEngine, AnalysisOptions } from './analysis-engine';
import { FeatureExtractor } from './features';
import { Lexicon, toPattern } from './lexicon/lexicon';
import { matchSentence } from './lexicon/matcher';
import { WordFrequency } from './word-frequency';

const options: AnalysisOptions = { format: InputFormat.Auto, language: 'en', maxExpressions: 50, level: Level.Mixed };
let lexicon: Lexicon;
let frequency: WordFrequency;
let tagger: FeatureExtractor;
let engine: AnalysisEngine;

beforeAll(() => {
  lexicon = new Lexicon();
  frequency = new WordFrequency();
  tagger = new FeatureExtractor(frequency);
  engine = new AnalysisEngine(lexicon, frequency);
});

const found = (sentence: string) => matchSentence(lexicon, tagger.tag(sentence)).map((m) => m.entry.expression);

describe('toPattern', () => {
  it('turns placeholders into slots and expands contractions', () => {
    expect(toPattern("break one's heart")).toEqual([{ kind: 'word', word: 'break' }, { kind: 'poss' }, { kind: 'word', word: 'heart' }]);
    expect(toPattern('take someone for granted')?.[1]).toEqual({ kind: 'np' });
    expect(toPattern("can't complain")).toEqual([
      { kind: 'word', word: 'can' },
      { kind: 'word', word: 'not' },
      { kind: 'word', word: 'complain' },
    ]);
  });

  it('refuses what cannot be matched or taught', () => {
    expect(toPattern('110 proof')).toBeNull();
    expect(toPattern('of the')).toBeNull(); // stop words only
    expect(toPattern('hello')).toBeNull(); // one word
  });
});

describe('lexicon and matcher', () => {
  it('finds split phrasal verbs and idioms by lemma', () => {
    expect(found('I will figure it out.')).toContain('figure out');
    expect(found('He figured the whole thing out yesterday.')).toContain('figure out');
    expect(found('She put her career on hold.')).toEqual(['put on hold']);
    expect(found('Anton broke the ice at the party.')).toContain('break the ice');
    expect(found('That really broke my heart.')).toContain("break one's heart");
    expect(found('Out of the blue, a butterfly came along.')).toEqual(['out of the blue', 'come along']);
    expect(found('Let us call it a day.')).toEqual(['call it a day']); // "call" tagged as a noun here
  });

  it('never takes proper names, noun senses of verb expressions, or stop-word pairs', () => {
    expect(lexicon.lookup('new york')).toBeUndefined();
    expect(found('I moved to New York last year.')).toEqual([]);
    expect(found('The figure out there is tall.')).not.toContain('figure out');
    expect(found('It is in that box.')).not.toContain('in that');
  });

  it('attaches a WordNet definition', () => {
    expect(lexicon.lookup('kick the bucket')?.definition).toMatch(/life/);
    expect(lexicon.lookup('figure out')).toMatchObject({ category: 'phrasal_verb', splittable: true });
  });
});

describe('AnalysisEngine', () => {
  it('runs the four stages on subtitles and keeps cue times', () => {
    const srt = '1\n00:00:01,000 --> 00:00:03,000\nI will figure it out.\n\n2\n00:00:04,000 --> 00:00:06,500\n[sighs] She put her career on hold.\n';
    const result = engine.analyse(srt, options);
    const byName = Object.fromEntries(result.expressions.map((e) => [e.expression, e]));
    expect(byName['figure out']).toMatchObject({ example: 'I will figure it out.', startMs: 1000, endMs: 3000, category: 'phrasal_verb' });
    expect(byName['put on hold']).toMatchObject({ startMs: 4000, endMs: 6500 });
    expect(byName['figure out'].definition.length).toBeGreaterThan(10);
    expect(result.stats).toMatchObject({ format: 'srt', cues: 2, sentences: 2 });
  });

  it('merges inflections and occurrences into one expression', () => {
    const r = engine.analyse('I gave up. She gives up. They are giving up.', options);
    const giveUp = r.expressions.filter((e) => e.expression === 'give up');
    expect(giveUp).toHaveLength(1);
    expect(giveUp[0].occurrences).toBe(3);
  });

  it('ranks idioms above plain collocations and respects level and maxExpressions', () => {
    const text = 'We had ice cream. Then he kicked the bucket. She gave up.';
    const all = engine.analyse(text, options).expressions;
    expect(all[0].expression).toBe('kick the bucket');
    const one = engine.analyse(text, { ...options, maxExpressions: 1 }).expressions;
    expect(one).toHaveLength(1);
    for (const level of [Level.Beginner, Level.Intermediate, Level.Advanced]) {
      const some = engine.analyse(text, { ...options, level }).expressions;
      expect(some.every((e) => e.difficulty === level)).toBe(true);
    }
    expect(all.find((e) => e.expression === 'kick the bucket')?.difficulty).toBe('advanced');
  });

  it('analyses a real film subtitle file', () => {
    const srt = readFileSync(join(__dirname, '../../test/fixtures/sintel_en.srt'), 'utf8');
    const r = engine.analyse(srt, { ...options, maxExpressions: 10 });
    expect(r.stats.cues).toBeGreaterThan(20);
    expect(r.expressions.length).toBeGreaterThan(0);
    for (const e of r.expressions) {
      expect(e.startMs).toBeGreaterThanOrEqual(0);
      expect(e.endMs).toBeGreaterThan(e.startMs!);
      expect(e.example.toLowerCase()).toBeTruthy();
      expect(e.score).toBeGreaterThan(0);
    }
  });

  it('stops at a checkpoint when asked to', () => {
    const long = 'I will figure it out. '.repeat(200);
    let calls = 0;
    expect(() =>
      engine.analyse(long, options, () => {
        if (++calls > 3) throw new Error('stop requested');
      }),
    ).toThrow('stop requested');
  });
});
