import { Difficulty, Level } from '../common/enums';
import { ExpressionCategory } from './analysis.types';
import { LexEntry } from './lexicon/lexicon';
import { STOPWORDS } from './stopwords';

export interface Scores {
  rarity: number;
  idiomaticity: number;
  teachability: number;
  score: number;
  difficulty: Difficulty;
}

const IDIOMATICITY: Record<ExpressionCategory, number> = { idiom: 0.9, phrasal_verb: 0.75, collocation: 0.4 };
/** Zipf of a word SUBTLEX never saw: rarer than almost anything it did. */
const UNSEEN_ZIPF = 1;

const clamp = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Scores an expression for a learner. Rarity comes from its rarest content word (SUBTLEX Zipf: 6+ is
 * everyday, under 3 is rare); idiomaticity from its kind (an idiom's meaning is furthest from its words);
 * teachability from everyday attestation, common words and a short form. The score weighs the three.
 */
export function scoreExpression(entry: LexEntry, zipfOf: (word: string) => number | undefined): Scores {
  const words = entry.pattern.flatMap((t) => (t.kind === 'word' && !STOPWORDS.has(t.word) && t.word !== "'s" ? [t.word] : []));
  const zipfs = words.map((w) => zipfOf(w) ?? UNSEEN_ZIPF);
  const rarest = Math.min(...zipfs);
  const rarity = clamp((6.5 - rarest) / 4.5);
  const idiomaticity = clamp(IDIOMATICITY[entry.category] + (entry.inIdiomList ? 0.1 : 0));
  const teachability = clamp(0.35 + (entry.familiar ? 0.25 : 0) + (rarest >= 3 ? 0.25 : rarest >= 2 ? 0.1 : 0) + (entry.pattern.length <= 4 ? 0.15 : 0));
  const score = 0.3 * rarity + 0.35 * idiomaticity + 0.35 * teachability;
  return {
    rarity: round(rarity),
    idiomaticity: round(idiomaticity),
    teachability: round(teachability),
    score: round(score),
    difficulty: difficultyOf(rarity, idiomaticity),
  };
}

export function difficultyOf(rarity: number, idiomaticity: number): Difficulty {
  const d = 0.6 * rarity + 0.4 * idiomaticity;
  if (d < 0.45) return Level.Beginner;
  if (d < 0.62) return Level.Intermediate;
  return Level.Advanced;
}
