import { Difficulty, InputFormat } from '../common/enums';

export type ConcreteFormat = Exclude<InputFormat, InputFormat.Auto>;

/** One subtitle cue, times in milliseconds. */
export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}

/** A sentence of the cleaned text, with the times of the cues it came from (null for plain text). */
export interface Sentence {
  index: number;
  text: string;
  startMs: number | null;
  endMs: number | null;
}

export interface PreprocessResult {
  format: ConcreteFormat;
  cues: number;
  sentences: Sentence[];
}

/** Tokens of one sentence, as parallel arrays (compact across the thread boundary and in Redis). */
export interface SentenceTokens {
  /** Normalised surface forms ("figured", "not"). */
  normal: string[];
  lemma: string[];
  pos: string[];
}

export interface FeaturesResult {
  format: ConcreteFormat;
  cues: number;
  sentences: Sentence[];
  tokens: SentenceTokens[];
  /** Zipf frequency (SUBTLEX-US) of every content lemma in the text; missing words are absent. */
  zipf: Record<string, number>;
  /** The most frequent content lemma bigrams and trigrams of the text. */
  topNgrams: { ngram: string; count: number }[];
  tokenCount: number;
}

export type ExpressionCategory = 'idiom' | 'phrasal_verb' | 'collocation';

/** One occurrence of a lexicon expression in the text, scored. */
export interface ExpressionCandidate {
  key: string;
  expression: string;
  category: ExpressionCategory;
  definition: string;
  sentenceIndex: number;
  matched: string;
  rarity: number;
  idiomaticity: number;
  teachability: number;
  score: number;
  difficulty: Difficulty;
  /** How many times the text uses it (one candidate per expression, at its first use). */
  occurrences: number;
}

export interface InferenceResult {
  format: ConcreteFormat;
  cues: number;
  sentenceCount: number;
  /** Only the sentences the candidates point at, by index: a long text's other sentences are not carried on. */
  examples: Record<number, Sentence>;
  tokenCount: number;
  model: string;
  /** Occurrences found, before merging into candidates. */
  matches: number;
  candidates: ExpressionCandidate[];
}

export interface Expression {
  expression: string;
  definition: string;
  example: string;
  /** The words of the example it was found on, normalised ("figure it out"): what a slide highlights. */
  matched: string;
  startMs: number | null;
  endMs: number | null;
  difficulty: Difficulty;
  score: number;
  category: ExpressionCategory;
  occurrences: number;
}

export interface AnalysisStats {
  format: ConcreteFormat;
  cues: number;
  sentences: number;
  tokens: number;
  candidates: number;
  distinctExpressions: number;
  returned: number;
  model: string;
}

export interface AnalysisResult {
  expressions: Expression[];
  stats: AnalysisStats;
}
