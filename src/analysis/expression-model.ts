import { ExpressionCandidate, FeaturesResult, Occurrence, SentenceTokens } from './analysis.types';
import type { AnalysisOptions } from './analysis-engine';
import { Checkpoint } from './checkpoint';
import { LexEntry, Lexicon } from './lexicon/lexicon';
import { Match, matchSentence } from './lexicon/matcher';
import { scoreExpression } from './scoring';
import { chooseSense, SenseChoice, SenseContext } from './senses';
import { WordFrequency } from './word-frequency';

/** What a model found in a text: every expression with its uses, and how many uses it set aside as literal. */
export interface ModelFindings {
  candidates: ExpressionCandidate[];
  matches: number;
  literal: number;
}

/** What a model is given to run: the analysis's options, cancel, progress, and the size of the text. */
export interface ModelRun {
  options: AnalysisOptions;
  signal: AbortSignal;
  /** 0..1 */
  progress(fraction: number): void;
  textBytes: number;
}

/**
 * The inference stage's model, as the pipeline sees it: the features of a text in, its expressions with the
 * sense of each use out (InferenceResult), asynchronously: the offline lexicon model runs on the stage
 * threads; a model that asks a server over the network is one more class behind this interface. The
 * features and the result may travel as JSON text between stage threads (JsonPayload).
 */
export interface ExpressionModel {
  readonly name: string;
  findExpressions(features: unknown, run: ModelRun): Promise<unknown>;
}

/** The words as said, from the tokens' surfaces. */
export const said = (t: SentenceTokens, start: number, end: number) => t.surface.slice(start, end).join('').trim();

/** The words around a match: its sentence and the neighbouring ones, the match's own words left out. */
function contextOf(tokens: SentenceTokens[], i: number, m: Match): SenseContext {
  const words = new Set<string>();
  const text: string[] = [];
  for (let s = Math.max(0, i - 1); s <= Math.min(tokens.length - 1, i + 1); s++) {
    const t = tokens[s];
    t.normal.forEach((w, k) => {
      if (s === i && k >= m.start && k < m.end) return void text.push('|');
      words.add(w);
      words.add(t.lemma[k]);
      text.push(w);
    });
    text.push('|');
  }
  return { words, text: ` ${text.join(' ')} `, object: m.object, objectSure: m.objectSure, objectPlain: m.objectPlain };
}

/** The offline model itself, synchronous, as a stage thread runs it (AnalysisEngine, stage 3). */
export class LexiconExpressionModel {
  readonly name = 'learner-lexicon+wordnet-3.1';

  constructor(
    private readonly lexicon: Lexicon,
    private readonly frequency: WordFrequency,
  ) {}

  findExpressions(features: FeaturesResult, checkpoint: Checkpoint): ModelFindings {
    const byEntry = new Map<LexEntry, Occurrence[]>();
    let matches = 0;
    let literal = 0;
    features.tokens.forEach((tokens, i) => {
      if (i % 32 === 0) checkpoint((i / features.tokens.length) * 100);
      const judge = (m: Match): SenseChoice => chooseSense(m.entry, contextOf(features.tokens, i, m));
      for (const m of matchSentence(this.lexicon, tokens, judge)) {
        matches++;
        const choice = m.judgement;
        if (choice.kind === 'literal') literal++;
        if (choice.kind !== 'sense') continue;
        const list = byEntry.get(m.entry) ?? [];
        list.push({
          sentenceIndex: i,
          start: m.start,
          end: m.end,
          matched: said(tokens, m.start, m.end),
          firstPart: tokens.part[m.start],
          lastPart: tokens.part[m.end - 1],
          senseId: choice.sense.id,
          definition: choice.sense.definition,
          confidence: choice.confidence,
        });
        byEntry.set(m.entry, list);
      }
    });
    // Every word of an expression counts, particles included, not only the text's content words.
    const zipfOf = (w: string) => features.zipf[w] ?? this.frequency.of(w);
    const candidates = [...byEntry].map(([entry, occurrences]): ExpressionCandidate => {
      const confidence = Math.max(...occurrences.map((o) => o.confidence));
      return {
        key: entry.expression,
        expression: entry.expression,
        category: entry.category,
        source: entry.source,
        occurrences,
        ...scoreExpression(entry, zipfOf, confidence),
      };
    });
    return { candidates, matches, literal };
  }
}
