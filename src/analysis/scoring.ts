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

/** How much a learner gains from being taught the kind of expression, its meaning aside. */
const KIND_VALUE: Record<ExpressionCategory, number> = { idiom: 1, fixed_phrase: 0.8, phrasal_verb: 0.7, collocation: 0.35 };
/** Zipf of a word SUBTLEX never saw: rarer than almost anything it did. */
const UNSEEN_ZIPF = 1;

const clamp = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A learner's difficulty: how rarely the expression is heard (commonness in speech, 1..5) and how little its
 * words give its meaning away (transparency, 1..3). "zip up" (common, transparent) is for beginners,
 * "hair of the dog" (rare, opaque) for advanced learners.
 */
export function learnerDifficulty(common: number, transparent: number): Difficulty {
  const d = 0.6 * ((5 - common) / 4) + 0.4 * ((3 - transparent) / 2);
  if (d < 0.3) return Level.Beginner;
  if (d < 0.55) return Level.Intermediate;
  return Level.Advanced;
}

/**
 * Scores an expression for a teacher's list. For the learner lexicon's entries: what kind it is (an idiom is
 * worth more than a fixed phrase, a fixed phrase more than a phrasal verb), how opaque (in need of explaining:
 * "oh my god" is not, "beat around the bush" is) and, less, how common it is in speech (worth learning). For WordNet's: its kind and the rarity of its rarest word (SUBTLEX
 * Zipf), scored below the learner lexicon's. `confidence` is how sure the sense is.
 */
export function scoreExpression(entry: LexEntry, zipfOf: (word: string) => number | undefined, confidence = 1): Scores {
  const words = entry.expression.split(/\s+/).filter((w) => !STOPWORDS.has(w) && !["someone's", "one's", 'someone', 'something', 'oneself'].includes(w));
  const zipfs = words.map((w) => zipfOf(w) ?? UNSEEN_ZIPF);
  const rarity = clamp((6.5 - Math.min(...zipfs, 6.5)) / 4.5);
  if (entry.common !== null && entry.transparent !== null) {
    const usefulness = (entry.common - 1) / 4;
    const opacity = (3 - entry.transparent) / 2;
    const idiomaticity = clamp(0.5 * KIND_VALUE[entry.category] + 0.5 * opacity);
    const teachability = clamp(0.4 + 0.6 * usefulness);
    const score = 0.35 * KIND_VALUE[entry.category] + 0.45 * opacity + 0.1 * usefulness + 0.1 * confidence;
    return {
      rarity: round(rarity),
      idiomaticity: round(idiomaticity),
      teachability: round(teachability),
      score: round(score),
      difficulty: learnerDifficulty(entry.common, entry.transparent),
    };
  }
  const idiomaticity = clamp(KIND_VALUE[entry.category] * 0.8);
  const teachability = clamp(0.3 + (entry.familiar ? 0.2 : 0) + (Math.min(...zipfs) >= 3 ? 0.2 : 0));
  // Below the learner lexicon's entries of the same kind: its definitions are a dictionary's, not a learner's.
  const score = 0.7 * (0.4 * idiomaticity + 0.3 * teachability + 0.15 * rarity + 0.15 * confidence);
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

/** How much explaining an expression needs, from the difficulty the LLM gave it. */
const OPACITY_OF: Record<Difficulty, number> = { beginner: 0.3, intermediate: 0.6, advanced: 0.9 };

/**
 * Scores an expression the LLM proposed (found in the text, but in no lexicon): by its kind and the
 * difficulty the model gave it, below the learner lexicon's entries of the same kind, as WordNet's are.
 */
export function scoreProposal(category: ExpressionCategory, difficulty: Difficulty): Scores {
  const opacity = OPACITY_OF[difficulty];
  const idiomaticity = clamp(0.5 * KIND_VALUE[category] + 0.5 * opacity);
  const score = 0.8 * (0.35 * KIND_VALUE[category] + 0.45 * opacity + 0.1 * 0.5 + 0.1 * 0.8);
  return { rarity: round(opacity), idiomaticity: round(idiomaticity), teachability: 0.6, score: round(score), difficulty };
}
