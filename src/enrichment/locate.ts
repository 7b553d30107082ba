// Where an expression the model proposed is in the text, found by this code, never taken from the model:
// its quote must be in a line, and the expression's words in the quote. Pure.
import { Occurrence, Sentence } from '../analysis/analysis.types';
import { verbForms } from '../analysis/lexicon/inflections';

/** Words of a dictionary form that stand for any object: "break someone's heart". */
const PLACEHOLDERS = new Set([
  'someone',
  "someone's",
  'somebody',
  "somebody's",
  'something',
  "something's",
  'one',
  "one's",
  'oneself',
  'sb',
  'sth',
  'yourself',
]);

const normal = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
const wordsOf = (text: string) => normal(text).match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];

/** Whether `said` is a form of the dictionary word `word`: itself, a verb form, a plural, a possessive. */
function formOf(word: string, said: string): boolean {
  if (said === word || said === `${word}s` || said === `${word}es` || said === `${word}'s`) return true;
  if (word.endsWith('y') && said === `${word.slice(0, -1)}ies`) return true;
  return verbForms(word).has(said);
}

/** Whether every word of the expression (its placeholders aside: "someone", "one's") is in the quote, in order. */
export function expressionInQuote(expression: string, quote: string): boolean {
  const wanted = wordsOf(expression).filter((w) => !PLACEHOLDERS.has(w));
  const said = wordsOf(quote);
  let at = 0;
  for (const w of wanted) {
    while (at < said.length && !formOf(w, said[at])) at++;
    if (at === said.length) return false;
    at++;
  }
  return wanted.length > 0;
}

/** Where `quote` is in `text`, as whole words, ignoring case and the kind of quotes; null when it is not. */
export function findQuote(text: string, quote: string): { start: number; end: number } | null {
  const q = normal(quote).replace(/\s+/g, ' ').trim();
  if (!q) return null;
  const t = normal(text);
  for (let from = 0; ;) {
    const i = t.indexOf(q, from);
    if (i < 0) return null;
    const before = i === 0 ? ' ' : t[i - 1];
    const after = i + q.length >= t.length ? ' ' : t[i + q.length];
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return { start: i, end: i + q.length };
    from = i + 1;
  }
}

/** The parts (cues) of a sentence that characters [start, end) of its text fall in (parts are joined by one space). */
export function partsOf(sentence: Sentence, start: number, end: number): { firstPart: number; lastPart: number } {
  let offset = 0;
  let firstPart = -1;
  let lastPart = -1;
  sentence.parts.forEach((p, i) => {
    const from = offset;
    const to = offset + p.text.length;
    if (firstPart < 0 && start < to) firstPart = i;
    if (end > from) lastPart = i;
    offset = to + 1;
  });
  return { firstPart: Math.max(0, firstPart), lastPart: Math.max(0, lastPart, firstPart) };
}

export interface Proposal {
  expression: string;
  sentence: number;
  quote: string;
  definition: string;
}

/**
 * The use of a proposed expression in the text: in the sentence the model named, or else the first sentence
 * with the quote; null when the quote is nowhere, or its words are not the expression's (an invented use).
 * Its times are the cues the quote falls in.
 */
export function locateProposal(sentences: Sentence[], p: Proposal): Occurrence | null {
  if (!expressionInQuote(p.expression, p.quote)) return null;
  const named = sentences[p.sentence];
  const order = named ? [named, ...sentences.filter((s) => s !== named)] : sentences;
  for (const sentence of order) {
    const at = findQuote(sentence.text, p.quote);
    if (!at) continue;
    return {
      sentenceIndex: sentence.index,
      // A proposal has no tokens of its own: its place is given by its cues.
      start: -1,
      end: -1,
      matched: sentence.text.slice(at.start, at.end),
      ...partsOf(sentence, at.start, at.end),
      senseId: null,
      definition: p.definition,
      confidence: 0.8,
    };
  }
  return null;
}
