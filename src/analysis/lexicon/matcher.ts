import { SentenceTokens } from '../analysis.types';
import { NOUN_PHRASE_POS, POSSESSIVES } from '../stopwords';
import { LexEntry, Lexicon, PatternToken } from './lexicon';

export interface Match {
  entry: LexEntry;
  /** Token positions [start, end) in the sentence. */
  start: number;
  end: number;
}

const REFLEXIVES = new Set(['myself', 'yourself', 'himself', 'herself', 'itself', 'ourselves', 'yourselves', 'themselves', 'oneself']);
const VERB_POS = new Set(['VERB', 'AUX']);
/** How many words may stand between a verb and its particle ("put her new career on hold"). */
const MAX_OBJECT_GAP = 4;
const MAX_SLOT = 3;
/** Words that open a noun phrase after a preposition: "to the land", "to her", "to Paris". */
const NOUN_PHRASE_START = new Set(['DET', 'PRON', 'PROPN', 'NUM']);
const NOUN_CONTEXT = new Set(['DET', 'ADJ', 'NUM']);

const wordAt = (t: SentenceTokens, i: number, word: string) => i < t.normal.length && (t.normal[i] === word || t.lemma[i] === word);
const inPhrase = (t: SentenceTokens, i: number) => i < t.pos.length && NOUN_PHRASE_POS.has(t.pos[i]);

/**
 * Where the pattern from position `p` can match the tokens from `i`: returns the end index of the match, or
 * -1. Slots take short noun phrases, and a splittable phrasal verb admits its object after the verb.
 */
function follow(t: SentenceTokens, entry: LexEntry, p: number, i: number): number {
  const pattern = entry.pattern;
  if (p === pattern.length) return i;
  const token: PatternToken = pattern[p];
  switch (token.kind) {
    case 'word': {
      if (wordAt(t, i, token.word)) {
        const end = follow(t, entry, p + 1, i + 1);
        if (end >= 0) return end;
      }
      // Idiom lists often drop the possessive ("fly by the seat of pants"): let one stand before a word.
      if (p > 0 && POSSESSIVES.has(t.normal[i]) && wordAt(t, i + 1, token.word)) return follow(t, entry, p + 1, i + 2);
      // "figured it out", "put her career on hold": the object sits between verb and particle.
      if (p === 1 && entry.splittable) {
        for (let gap = 1; gap <= MAX_OBJECT_GAP && inPhrase(t, i + gap - 1); gap++) {
          if (wordAt(t, i + gap, token.word)) {
            const end = follow(t, entry, p + 1, i + gap + 1);
            if (end >= 0) return end;
          }
        }
      }
      return -1;
    }
    case 'poss': {
      if (POSSESSIVES.has(t.normal[i])) return follow(t, entry, p + 1, i + 1);
      for (let len = 1; len <= MAX_SLOT && inPhrase(t, i + len - 1); len++) {
        if (t.normal[i + len] === "'s") {
          const end = follow(t, entry, p + 1, i + len + 1);
          if (end >= 0) return end;
        }
      }
      return -1;
    }
    case 'refl':
      return REFLEXIVES.has(t.normal[i]) ? follow(t, entry, p + 1, i + 1) : -1;
    case 'np': {
      for (let len = 1; len <= MAX_SLOT && inPhrase(t, i + len - 1); len++) {
        const end = follow(t, entry, p + 1, i + len);
        if (end >= 0) return end;
      }
      return -1;
    }
  }
}

/**
 * A verb-headed expression needs a verb where it starts: "figure out", not "the figure out there". The
 * tagger sometimes takes a verb for a noun ("Let us call it a day"); a long idiom is specific enough to trust
 * unless a determiner or adjective in front makes the word a noun.
 */
function verbHere(t: SentenceTokens, i: number, entry: LexEntry): boolean {
  if (VERB_POS.has(t.pos[i])) return true;
  return entry.pattern.length >= 3 && !NOUN_CONTEXT.has(t.pos[i - 1] ?? '');
}

/**
 * "brought him to the hospital" is not "bring to": when a split phrasal verb ends on its particle and a noun
 * phrase follows, the particle is a preposition.
 */
function isPrepositionalSplit(t: SentenceTokens, entry: LexEntry, start: number, end: number): boolean {
  const split = end - start > entry.pattern.length;
  return split && entry.splittable && entry.pattern.length === 2 && NOUN_PHRASE_START.has(t.pos[end]);
}

/** Every lexicon expression in one sentence; where two overlap, the longer one stays. */
export function matchSentence(lexicon: Lexicon, t: SentenceTokens): Match[] {
  const found: Match[] = [];
  for (let i = 0; i < t.normal.length; i++) {
    const seen = new Set<LexEntry>();
    for (const key of [t.lemma[i], t.normal[i]]) {
      for (const entry of lexicon.byFirstWord.get(key) ?? []) {
        if (seen.has(entry)) continue;
        seen.add(entry);
        if (entry.verb && !verbHere(t, i, entry)) continue;
        const end = follow(t, entry, 0, i);
        if (end <= i || t.pos.slice(i, end).includes('PUNCT') || isPrepositionalSplit(t, entry, i, end)) continue;
        found.push({ entry, start: i, end });
      }
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Match[] = [];
  for (const m of found) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}
