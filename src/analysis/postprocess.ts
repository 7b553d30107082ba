import { Level } from '../common/enums';
import { AnalysisResult, Expression, ExpressionCandidate, InferenceResult } from './analysis.types';
import { Checkpoint } from './checkpoint';

export interface PostprocessOptions {
  maxExpressions: number;
  level: Level;
}

/** Extra score for an expression the text uses more than once, up to this much. */
const REPEAT_BONUS_MAX = 0.1;

/**
 * Stage 4: merges occurrences and inflections of an expression (they share a lemma key), ranks by score,
 * keeps those of the requested level, and attaches the first example sentence with its cue times.
 */
export function postprocess(input: InferenceResult, options: PostprocessOptions, checkpoint: Checkpoint): AnalysisResult {
  const groups = new Map<string, ExpressionCandidate[]>();
  for (const c of input.candidates) {
    const list = groups.get(c.key) ?? [];
    list.push(c);
    groups.set(c.key, list);
  }
  checkpoint(50);
  const ranked: Expression[] = [...groups.values()]
    .map((occurrences) => {
      const first = occurrences[0];
      const sentence = input.examples[first.sentenceIndex];
      const uses = occurrences.reduce((n, c) => n + c.occurrences, 0);
      const bonus = Math.min(REPEAT_BONUS_MAX, (uses - 1) * 0.03);
      return {
        expression: first.expression,
        definition: first.definition,
        example: sentence.text,
        matched: first.matched,
        startMs: sentence.startMs,
        endMs: sentence.endMs,
        difficulty: first.difficulty,
        score: Math.round((first.score + bonus) * 1000) / 1000,
        category: first.category,
        occurrences: uses,
      };
    })
    .filter((e) => options.level === Level.Mixed || e.difficulty === options.level)
    .sort((a, b) => b.score - a.score || a.expression.localeCompare(b.expression));
  const expressions = ranked.slice(0, options.maxExpressions);
  return {
    expressions,
    stats: {
      format: input.format,
      cues: input.cues,
      sentences: input.sentenceCount,
      tokens: input.tokenCount,
      candidates: input.matches,
      distinctExpressions: groups.size,
      returned: expressions.length,
      model: input.model,
    },
  };
}
