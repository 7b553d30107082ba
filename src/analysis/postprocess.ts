import { Difficulty, Level } from '../common/enums';
import { AnalysisResult, EnrichmentReport, Expression, ExpressionCandidate, InferenceResult, Occurrence } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { Example, exampleOf } from './examples';
import { isOffensive } from './offensive';

export interface PostprocessOptions {
  maxExpressions: number;
  level: Level;
}

/** Extra score for an expression the text uses more than once, up to this much. */
const REPEAT_BONUS_MAX = 0.1;
/** At most this share of a list's first places go to phrasal verbs while idioms and fixed phrases wait. */
const PHRASAL_VERB_SHARE = 0.4;
const ORDER: Difficulty[] = [Level.Beginner, Level.Intermediate, Level.Advanced];

const withoutStatus = ({ status: _status, ...rest }: EnrichmentReport) => rest;

/**
 * The use a teacher would show: spoken rather than sung (when a spoken one exists), without offensive words
 * (none if every one has them), the surest sense, the first of those.
 */
export function chooseExample(candidate: ExpressionCandidate, sentences: InferenceResult['examples']): { occurrence: Occurrence; example: Example } | null {
  return usesOf(candidate, sentences)[0] ?? null;
}

/** Every use a teacher could show, the best first (see chooseExample). */
export function usesOf(candidate: ExpressionCandidate, sentences: InferenceResult['examples']): { occurrence: Occurrence; example: Example }[] {
  const options = candidate.occurrences
    .map((occurrence, order) => ({ occurrence, order, example: exampleOf(sentences[occurrence.sentenceIndex], occurrence) }))
    .filter((o) => !isOffensive(o.example.text));
  options.sort((x, y) => Number(x.example.lyric) - Number(y.example.lyric) || y.occurrence.confidence - x.occurrence.confidence || x.order - y.order);
  return options;
}

/** How many other uses an expression lists for a review to choose from. */
export const OTHER_USES_MAX = 5;

/**
 * Orders by score, letting phrasal verbs take no more than PHRASAL_VERB_SHARE of the places ahead of the
 * idioms and fixed phrases still waiting: lists used to be two thirds phrasal verbs.
 */
export function diversify(ranked: Expression[]): Expression[] {
  const out: Expression[] = [];
  const waiting = [...ranked];
  while (waiting.length) {
    const phrasal = out.filter((e) => e.category === 'phrasal_verb').length;
    const tooMany = phrasal + 1 > Math.ceil((out.length + 1) * PHRASAL_VERB_SHARE);
    const i = tooMany ? waiting.findIndex((e) => e.category !== 'phrasal_verb') : 0;
    out.push(waiting.splice(i < 0 ? 0 : i, 1)[0]);
  }
  return out;
}

/**
 * The expressions of the level asked for, and when there are fewer than `max`, the nearest levels' best to
 * fill the list; `exact` says how many are of the level itself.
 */
export function byLevel(ranked: Expression[], level: Level, max: number): { expressions: Expression[]; exact: number } {
  if (level === Level.Mixed) return { expressions: ranked.slice(0, max), exact: Math.min(max, ranked.length) };
  const exact = ranked.filter((e) => e.difficulty === level).slice(0, max);
  const wanted = ORDER.indexOf(level);
  const others = ranked
    .filter((e) => e.difficulty !== level)
    .sort((a, b) => Math.abs(ORDER.indexOf(a.difficulty) - wanted) - Math.abs(ORDER.indexOf(b.difficulty) - wanted) || b.score - a.score);
  return { expressions: [...exact, ...others.slice(0, max - exact.length)], exact: exact.length };
}

/** An expression of the list and the candidate it comes from. */
export interface Pick {
  candidate: ExpressionCandidate;
  expression: Expression;
}

/**
 * The list a teacher gets: one entry per expression with the example a teacher can show (at most two cues,
 * never a lyric when a spoken use exists, never an offensive line) and the definition of the sense used
 * there; ranked, kept to the level asked for, filled from the nearest levels when too few. Also what the
 * enrich stage asks the LLM about: the expressions that would be listed.
 */
export function pick(
  input: InferenceResult,
  options: PostprocessOptions,
  checkpoint: Checkpoint = () => undefined,
): { picks: Pick[]; ranked: number; exact: number } {
  const ranked: Pick[] = [];
  input.candidates.forEach((c, i) => {
    if (i % 64 === 0) checkpoint((i / input.candidates.length) * 90);
    if (isOffensive(c.expression)) return;
    const [chosen, ...others] = usesOf(c, input.examples);
    if (!chosen) return;
    const { occurrence, example } = chosen;
    // Other lines than the chosen one (the same line may hold the expression twice; the same words said again later are another use).
    const otherUses = others
      .filter((o) => o.example.text !== example.text || o.example.startMs !== example.startMs)
      .slice(0, OTHER_USES_MAX)
      .map((o) => ({
        example: o.example.text,
        matched: o.occurrence.matched,
        startMs: o.example.startMs,
        endMs: o.example.endMs,
        definition: o.occurrence.definition,
      }));
    const uses = c.occurrences.length;
    const bonus = Math.min(REPEAT_BONUS_MAX, (uses - 1) * 0.03);
    ranked.push({
      candidate: c,
      expression: {
        expression: c.expression,
        definition: c.enriched?.definition ?? occurrence.definition,
        sense: occurrence.senseId,
        example: example.text,
        matched: occurrence.matched,
        startMs: example.startMs,
        endMs: example.endMs,
        difficulty: c.difficulty,
        score: Math.round((c.score + bonus) * 1000) / 1000,
        category: c.category,
        occurrences: uses,
        ...(c.enriched?.translations ? { translations: c.enriched.translations } : {}),
        ...(c.enriched?.similar?.length ? { similar: c.enriched.similar } : {}),
        ...(otherUses.length ? { otherUses } : {}),
      },
    });
  });
  ranked.sort((a, b) => b.expression.score - a.expression.score || a.expression.expression.localeCompare(b.expression.expression));
  const byExpression = new Map(ranked.map((p) => [p.expression, p]));
  const { expressions, exact } = byLevel(diversify(ranked.map((p) => p.expression)), options.level, options.maxExpressions);
  return { picks: expressions.map((e) => byExpression.get(e)!), ranked: ranked.length, exact };
}

/** Stage 4: the list (pick) and the stats of the analysis. */
export function postprocess(input: InferenceResult, options: PostprocessOptions, checkpoint: Checkpoint): AnalysisResult {
  checkpoint(0);
  const { picks, ranked, exact } = pick(input, options, checkpoint);
  const expressions = picks.map((p) => p.expression);
  return {
    expressions,
    stats: {
      format: input.format,
      cues: input.cues,
      sentences: input.sentenceCount,
      tokens: input.tokenCount,
      candidates: input.matches,
      literal: input.literal,
      distinctExpressions: ranked,
      returned: expressions.length,
      exactLevel: exact,
      model: input.model,
      ...(input.enrichment ? { enrichment: input.enrichment.status, llm: withoutStatus(input.enrichment) } : {}),
    },
  };
}
