import { describe, expect, it } from 'vitest';
import { Sentence } from '../analysis/analysis.types';
import { expressionInQuote, findQuote, locateProposal, partsOf } from './locate';

const sentence = (index: number, parts: [string, number, number][]): Sentence => ({
  index,
  text: parts.map(([t]) => t).join(' '),
  startMs: parts[0][1],
  endMs: parts[parts.length - 1][2],
  parts: parts.map(([text, startMs, endMs]) => ({ text, startMs, endMs, lyric: false })),
});

const SENTENCES = [
  sentence(0, [['We should go.', 0, 1000]]),
  sentence(1, [
    ['Look, she finally', 2000, 3000],
    ['spilled the beans about the party.', 3000, 5000],
  ]),
  sentence(2, [['Don\u2019t sweat the small stuff.', 6000, 7000]]),
];

describe('expressionInQuote', () => {
  it('takes the words in any form, in order, placeholders aside', () => {
    expect(expressionInQuote('spill the beans', 'spilled the beans')).toBe(true);
    expect(expressionInQuote("break someone's heart", 'broke her heart')).toBe(true);
    expect(expressionInQuote('make up one’s mind', 'made up my mind')).toBe(true);
    expect(expressionInQuote('figure out', 'figuring it out')).toBe(true);
  });
  it('refuses a quote that is not the expression', () => {
    expect(expressionInQuote('spill the beans', 'the beans')).toBe(false);
    expect(expressionInQuote('kick the bucket', 'spilled the beans')).toBe(false);
    expect(expressionInQuote('beans the spill', 'spilled the beans')).toBe(false);
    expect(expressionInQuote('someone', 'anyone')).toBe(false);
  });
});

describe('findQuote and partsOf', () => {
  it('finds whole words only, ignoring case and curly quotes', () => {
    expect(findQuote('Don\u2019t sweat the small stuff.', "don't SWEAT the small stuff")).toEqual({ start: 0, end: 27 });
    expect(findQuote('the beanstalk', 'the beans')).toBeNull();
    expect(findQuote('anything', '')).toBeNull();
  });
  it('maps characters to the cues they fall in', () => {
    const s = SENTENCES[1];
    const at = findQuote(s.text, 'spilled the beans')!;
    expect(partsOf(s, at.start, at.end)).toEqual({ firstPart: 1, lastPart: 1 });
    const across = findQuote(s.text, 'finally spilled')!;
    expect(partsOf(s, across.start, across.end)).toEqual({ firstPart: 0, lastPart: 1 });
  });
});

describe('locateProposal', () => {
  it('places a use where its quote is, whatever line and times the model gave', () => {
    const occ = locateProposal(SENTENCES, { expression: 'spill the beans', sentence: 7, quote: 'spilled the beans', definition: 'tell a secret' })!;
    expect(occ).toMatchObject({ sentenceIndex: 1, matched: 'spilled the beans', firstPart: 1, lastPart: 1, definition: 'tell a secret', senseId: null });
  });
  it('drops an expression the text does not have', () => {
    expect(locateProposal(SENTENCES, { expression: 'kick the bucket', sentence: 0, quote: 'kicked the bucket', definition: 'die' })).toBeNull();
    // The quote is in the text, but it is not the expression.
    expect(locateProposal(SENTENCES, { expression: 'kick the bucket', sentence: 1, quote: 'spilled the beans', definition: 'die' })).toBeNull();
  });
});
