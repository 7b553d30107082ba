import { Difficulty, InputFormat } from '../common/enums';

export type ConcreteFormat = Exclude<InputFormat, InputFormat.Auto>;

/** One subtitle cue, times in milliseconds. */
export interface Cue {
  startMs: number;
  endMs: number;
  text: string;
}

/** The piece of a sentence that one cue (or one paragraph of plain text) holds. */
export interface SentencePart {
  text: string;
  startMs: number | null;
  endMs: number | null;
  /** Sung, not spoken (the cue was marked with music notes). */
  lyric: boolean;
}

/** A sentence of the cleaned text, with the times of the cues it came from (null for plain text). */
export interface Sentence {
  index: number;
  text: string;
  startMs: number | null;
  endMs: number | null;
  /** Its pieces, cue by cue: an example is cut from these, never longer than two cues. */
  parts: SentencePart[];
}

export interface PreprocessResult {
  format: ConcreteFormat;
  cues: number;
  sentences: Sentence[];
}

/** Tokens of one sentence, as parallel arrays (compact across the thread boundary and in Redis). */
export interface SentenceTokens {
  /** Normalised words, contractions expanded ("figured", "not", "going", "to"). */
  normal: string[];
  lemma: string[];
  pos: string[];
  /** The part (cue) of the sentence each token comes from. */
  part: number[];
  /** Each token as written, with the spaces before it; "" for the second half of an expanded contraction. */
  surface: string[];
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

export type ExpressionCategory = 'idiom' | 'phrasal_verb' | 'fixed_phrase' | 'collocation';

/** Where an expression's entry comes from: the project's learner lexicon first, WordNet second, the LLM (proposed, then checked against the text). */
export type ExpressionSource = 'lexicon' | 'wordnet' | 'llm';

/** An expression in a learner's own language: the expression, its definition and the example line. */
export interface Translation {
  expression: string;
  definition: string;
  example: string;
}

/** What the enrich stage (an LLM) adds to a candidate. */
export interface Enriched {
  /** The LLM found the use idiomatic in its line. */
  confirmed: boolean;
  /** A learner definition of the sense used there (kept for WordNet's entries and the LLM's own). */
  definition?: string;
  /** By BCP 47 language code. */
  translations?: Record<string, Translation>;
  /** One or two similar English expressions, for the slide. */
  similar?: string[];
}

/** One use of an expression in the text, with the sense it has there. */
export interface Occurrence {
  sentenceIndex: number;
  /** Token positions [start, end) of the match in its sentence. */
  start: number;
  end: number;
  /** The words as said ("figured it out"). */
  matched: string;
  /** The parts (cues) of the sentence the match spans, first and last. */
  firstPart: number;
  lastPart: number;
  senseId: string | null;
  definition: string;
  /** How sure the choice of sense is, 0..1. */
  confidence: number;
}

/** An expression found in the text: its entry's facts, its scores, and every use with its sense. */
export interface ExpressionCandidate {
  key: string;
  expression: string;
  category: ExpressionCategory;
  source: ExpressionSource;
  rarity: number;
  idiomaticity: number;
  teachability: number;
  score: number;
  difficulty: Difficulty;
  occurrences: Occurrence[];
  enriched?: Enriched;
}

/** What the enrich stage did, for the stats. */
export interface EnrichmentReport {
  /** "done", "partial: …" (the token budget ran out) or "failed: …" (the offline result, unchanged). */
  status: string;
  provider: string;
  model: string;
  requests: number;
  /** Items answered from the cache instead of asked again. */
  cached: number;
  tokensIn: number;
  tokensOut: number;
  confirmed: number;
  /** Candidates the LLM found used literally (or not as the expression) in their line, left out. */
  rejected: number;
  proposed: number;
  /** Proposals found in the text and added. */
  added: number;
  /** Proposals whose words are not in the text, dropped. */
  invented: number;
  /** Answers that broke the schema (or were not JSON), dropped. */
  invalid: number;
  translated: number;
}

export interface InferenceResult {
  format: ConcreteFormat;
  cues: number;
  sentenceCount: number;
  /** Only the sentences the occurrences point at, by index: a long text's other sentences are not carried on. */
  examples: Record<number, Sentence>;
  tokenCount: number;
  model: string;
  /** Uses found, before merging into expressions. */
  matches: number;
  /** Uses found and set aside as literal (the words, not the expression). */
  literal: number;
  candidates: ExpressionCandidate[];
  /** Every sentence, when the enrich stage needs them (it looks for what the lexicon missed); it drops them. */
  sentences?: Sentence[];
  enrichment?: EnrichmentReport;
}

export interface Expression {
  expression: string;
  /** The definition of the sense used in the example line. */
  definition: string;
  /** Which sense of the learner lexicon's entry that is (null for WordNet's). */
  sense: string | null;
  example: string;
  /** The words of the example it was found on, as said ("figured it out"): what a slide highlights. */
  matched: string;
  startMs: number | null;
  endMs: number | null;
  difficulty: Difficulty;
  score: number;
  category: ExpressionCategory;
  occurrences: number;
  /** With targetLanguages: the expression, definition and example in each (BCP 47 code). */
  translations?: Record<string, Translation>;
  /** With an LLM: one or two similar English expressions. */
  similar?: string[];
  /** Other uses of it in the text (at most OTHER_USES_MAX, the best first): a reviewer may pick one instead. */
  otherUses?: ExpressionUse[];
}

/** One use of an expression: its line, the words as said, its times and the sense it has there. */
export interface ExpressionUse {
  example: string;
  matched: string;
  startMs: number | null;
  endMs: number | null;
  definition: string;
}

export interface AnalysisStats {
  format: ConcreteFormat;
  cues: number;
  sentences: number;
  tokens: number;
  candidates: number;
  /** Uses set aside as literal. */
  literal: number;
  distinctExpressions: number;
  returned: number;
  /** Of those returned, how many are of the level asked for (the others fill the list from the nearest levels). */
  exactLevel: number;
  model: string;
  /** With an LLM provider: "done", "partial: …" or "failed: …" (then the offline result). */
  enrichment?: string;
  llm?: Omit<EnrichmentReport, 'status'>;
}

export interface AnalysisResult {
  expressions: Expression[];
  stats: AnalysisStats;
}
