import { ExpressionCandidate, FeaturesResult } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { Lexicon } from './lexicon/lexicon';
import { matchSentence } from './lexicon/matcher';
import { scoreExpression } from './scoring';
import { WordFrequency } from './word-frequency';

/**
 * Stage 3's model: finds and scores expressions in tagged text. The offline lexicon model is the default; an
 * LLM-backed model (an OpenAI-compatible endpoint) can implement the same interface to replace or enrich it.
 */
export interface ExpressionModel {
  readonly name: string;
  findExpressions(features: FeaturesResult, checkpoint: Checkpoint): ExpressionCandidate[];
}

export class LexiconExpressionModel implements ExpressionModel {
  readonly name = 'lexicon-wordnet-3.1';

  constructor(
    private readonly lexicon: Lexicon,
    private readonly frequency: WordFrequency,
  ) {}

  findExpressions(features: FeaturesResult, checkpoint: Checkpoint): ExpressionCandidate[] {
    const out: ExpressionCandidate[] = [];
    // Every word of an expression counts, particles included, not only the text's content words.
    const zipfOf = (w: string) => features.zipf[w] ?? this.frequency.of(w);
    features.tokens.forEach((tokens, i) => {
      if (i % 32 === 0) checkpoint((i / features.tokens.length) * 100);
      for (const m of matchSentence(this.lexicon, tokens)) {
        const scores = scoreExpression(m.entry, zipfOf);
        out.push({
          key: m.entry.expression,
          expression: m.entry.expression,
          category: m.entry.category,
          definition: m.entry.definition!,
          sentenceIndex: i,
          matched: tokens.normal.slice(m.start, m.end).join(' '),
          occurrences: 1,
          ...scores,
        });
      }
    });
    return out;
  }
}
