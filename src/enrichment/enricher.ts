import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AnalysisOptions } from '../analysis/analysis-engine';
import { EnrichmentReport, ExpressionCandidate, InferenceResult, Sentence, Translation } from '../analysis/analysis.types';
import { pick, Pick } from '../analysis/postprocess';
import { scoreProposal } from '../analysis/scoring';
import { Difficulty } from '../common/enums';
import { ErrorCode, PipelineError } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { LlmCache } from '../llm/llm-cache';
import { LlmMetrics } from '../llm/llm-metrics';
import { LLM_PROVIDER, LlmProvider, LlmRequest, LlmUnavailableError } from '../llm/llm.types';
import { locateProposal } from './locate';
import {
  checkConfirm,
  checkPropose,
  checkTranslate,
  confirmRequest,
  ConfirmAnswer,
  ProposeAnswer,
  proposeRequest,
  translateRequest,
  TranslateAnswer,
  TranslateInput,
} from './tasks';

/** What the enrich stage is given besides the inference's result. */
export interface EnrichRun {
  options: AnalysisOptions;
  signal: AbortSignal;
  /** 0..1 */
  progress(fraction: number): void;
}

/** Sentences per request of the search for missed expressions, at most, and characters. */
const PROPOSE_MAX_CHARS = 4000;
/** Rounds of "confirm the list, refill it, confirm the newcomers". */
const CONFIRM_ROUNDS = 4;
/** Passes over expressions the model left untranslated in some language. */
const TRANSLATE_PASSES = 2;

/** The token budget of the job is spent: no more requests. */
class BudgetSpent extends Error {}

/** One job's requests: its budget, its counts, and the cache and metrics they go through. */
class Session {
  readonly report: EnrichmentReport;
  budgetSpent = false;

  constructor(
    private readonly provider: LlmProvider,
    private readonly cache: LlmCache,
    private readonly metrics: LlmMetrics,
    private readonly budget: number,
    private readonly signal: AbortSignal,
  ) {
    this.report = {
      status: 'done',
      provider: provider.provider,
      model: provider.model,
      requests: 0,
      cached: 0,
      tokensIn: 0,
      tokensOut: 0,
      confirmed: 0,
      rejected: 0,
      proposed: 0,
      added: 0,
      invented: 0,
      invalid: 0,
      translated: 0,
    };
  }

  labels(task: string) {
    return { provider: this.provider.provider, model: this.provider.model, task };
  }

  key(task: string, ...parts: (string | number | null)[]): string {
    return LlmCache.keyOf([this.provider.provider, this.provider.model, task, ...parts]);
  }

  /** The cached answers of these keys; a cache that cannot be read answers nothing. */
  async cached<T>(task: string, keys: string[]): Promise<Map<string, T>> {
    const found = await this.cache.getMany<T>(keys).catch(() => new Map<string, T>());
    this.report.cached += found.size;
    this.metrics.cacheHit(this.labels(task), found.size);
    return found;
  }

  remember(entries: [string, unknown][]): Promise<void> {
    // A cache that cannot be written costs a request next time, nothing more.
    return this.cache.setMany(entries).catch(() => undefined);
  }

  /** Sends a request within the job's token budget. */
  async ask(request: LlmRequest): Promise<{ text: string; truncated: boolean }> {
    if (this.report.tokensIn + this.report.tokensOut >= this.budget) {
      this.budgetSpent = true;
      throw new BudgetSpent();
    }
    const reply = await this.provider.complete(request, this.signal);
    this.report.requests++;
    this.report.tokensIn += reply.usage.input;
    this.report.tokensOut += reply.usage.output;
    return reply;
  }

  dropped(task: string, reason: 'invalid' | 'invented', n: number): void {
    if (reason === 'invalid') this.report.invalid += n;
    else this.report.invented += n;
    this.metrics.drop(this.labels(task), reason, n);
  }
}

const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const senseOf = (p: Pick) => p.expression.sense ?? p.expression.definition;

/**
 * The enrich stage: with an LLM provider (LLM_PROVIDER), (a) has the model confirm that each expression of
 * the list is used idiomatically in its line (a literal use leaves the list, which is refilled) and define
 * the sense used there, (b) looks for the expressions the lexicon missed, each kept only when its words are
 * found in the text (its times are the text's), then (c) translates the list into the target languages and
 * (d) adds one or two similar expressions. Answers are checked against their schema item by item, cached in
 * Redis, and bounded by a token budget per job. A provider that stays down leaves the offline result as it
 * was, saying so in the stats (unless LLM_REQUIRED=true).
 */
@Injectable()
export class Enricher {
  private readonly logger = new Logger(Enricher.name);

  constructor(
    @Optional() @Inject(LLM_PROVIDER) private readonly provider: LlmProvider | null,
    private readonly cache: LlmCache,
    private readonly metrics: LlmMetrics,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return !!this.provider;
  }

  async enrich(input: InferenceResult, run: EnrichRun): Promise<InferenceResult> {
    if (!this.provider) return withoutSentences(input);
    const env = this.config.env;
    const session = new Session(this.provider, this.cache, this.metrics, env.LLM_TOKEN_BUDGET, run.signal);
    const result: InferenceResult = { ...input, candidates: input.candidates.map((c) => ({ ...c, occurrences: [...c.occurrences] })) };
    try {
      try {
        // Confirmed first: a literal use the lexicon took must not hide what the model finds in its words
        // ("take on" in "take a rain check on"). The list is confirmed again once proposals reshaped it.
        await this.confirm(result, run.options, session, (f) => run.progress(0.25 * f));
        if (input.sentences?.length) await this.propose(result, input.sentences, session, (f) => run.progress(0.25 + 0.25 * f));
        await this.confirm(result, run.options, session, (f) => run.progress(0.5 + 0.1 * f));
        await this.translate(result, run.options, session, (f) => run.progress(0.6 + 0.4 * f));
      } catch (err) {
        if (!(err instanceof BudgetSpent)) throw err;
      }
      if (session.budgetSpent) session.report.status = `partial: the token budget of ${env.LLM_TOKEN_BUDGET} (LLM_TOKEN_BUDGET) is spent`;
      return { ...withoutSentences(result), enrichment: session.report };
    } catch (err) {
      if (!(err instanceof LlmUnavailableError)) throw err;
      if (env.LLM_REQUIRED === 'true')
        throw new PipelineError(err.passing ? ErrorCode.LlmUnavailable : ErrorCode.LlmRefused, `${err.message} (LLM_REQUIRED=true)`);
      this.logger.warn(`enrichment failed, the offline result stands: ${err.message}`);
      return { ...withoutSentences(input), enrichment: { ...session.report, status: `failed: ${err.message}` } };
    }
  }

  /** (b) The expressions the lexicon missed, in chunks of lines; each one found in the text or dropped. */
  private async propose(result: InferenceResult, sentences: Sentence[], s: Session, progress: (f: number) => void): Promise<void> {
    const groups: Sentence[][] = [];
    let group: Sentence[] = [];
    let size = 0;
    for (const sentence of sentences) {
      if (group.length && (size + sentence.text.length > PROPOSE_MAX_CHARS || group.length >= this.config.env.LLM_BATCH_SIZE * 4)) {
        groups.push(group);
        group = [];
        size = 0;
      }
      group.push(sentence);
      size += sentence.text.length;
    }
    if (group.length) groups.push(group);
    const byExpression = new Map(result.candidates.map((c) => [c.expression.toLowerCase(), c]));
    for (const [i, lines] of groups.entries()) {
      const key = s.key('propose', ...lines.map((l) => l.text));
      let answers = (await s.cached<ProposeAnswer[]>('propose', [key])).get(key);
      if (!answers) {
        const indexes = new Set(lines.map((l) => l.index));
        const known = result.candidates.filter((c) => c.occurrences.some((o) => indexes.has(o.sentenceIndex))).map((c) => c.expression);
        const reply = await s.ask(proposeRequest({ known, sentences: lines.map((l) => ({ id: l.index, text: l.text })) }));
        const checked = checkPropose(reply.text);
        // A reply cut short or not JSON says nothing of the lines: counted once, for the request.
        s.dropped('propose', 'invalid', checked.invalid || (reply.truncated ? 1 : 0));
        answers = checked.items.filter((a) => a.expression.trim().split(/\s+/).length >= 2);
        s.dropped('propose', 'invalid', checked.items.length - answers.length);
        if (!reply.truncated) await s.remember([[key, answers]]);
      }
      s.report.proposed += answers.length;
      for (const a of answers) {
        const expression = a.expression.trim().toLowerCase();
        if (byExpression.has(expression)) continue;
        const occurrence = locateProposal(sentences, { ...a, expression });
        if (!occurrence) {
          s.dropped('propose', 'invented', 1);
          continue;
        }
        // The lexicon found it already, in a shorter or longer form ("cold turkey" in "went cold turkey").
        if (result.candidates.some((c) => c.occurrences.some((o) => o.sentenceIndex === occurrence.sentenceIndex && overlap(o.matched, occurrence.matched))))
          continue;
        const candidate: ExpressionCandidate = {
          key: `llm:${expression}`,
          expression,
          category: a.category,
          source: 'llm',
          ...scoreProposal(a.category, a.difficulty as Difficulty),
          occurrences: [occurrence],
          enriched: { confirmed: true, definition: a.definition },
        };
        result.candidates.push(candidate);
        byExpression.set(expression, candidate);
        result.examples = { ...result.examples, [occurrence.sentenceIndex]: sentences[occurrence.sentenceIndex] };
        s.report.added++;
      }
      progress((i + 1) / groups.length);
    }
  }

  /** (a) Each expression of the list confirmed in its line (or left out, and the list refilled), with a learner definition. */
  private async confirm(result: InferenceResult, options: AnalysisOptions, s: Session, progress: (f: number) => void): Promise<void> {
    const asked = new Set<ExpressionCandidate>();
    for (let round = 0; round < CONFIRM_ROUNDS; round++) {
      const todo = pick(result, options).picks.filter((p) => !p.candidate.enriched?.confirmed && !asked.has(p.candidate));
      if (!todo.length) break;
      todo.forEach((p) => asked.add(p.candidate));
      const keys = todo.map((p) => s.key('confirm', p.expression.expression, senseOf(p), p.expression.example));
      const known = await s.cached<Omit<ConfirmAnswer, 'id'>>('confirm', keys);
      const missing = todo.map((p, i) => ({ p, i })).filter(({ i }) => !known.has(keys[i]));
      for (const batch of chunks(missing, this.config.env.LLM_BATCH_SIZE)) {
        const items = batch.map(({ p, i }) => ({
          id: String(i),
          expression: p.expression.expression,
          line: p.expression.example,
          meaning: p.expression.definition,
        }));
        const reply = await s.ask(confirmRequest(items));
        const checked = checkConfirm(reply.text, items.length);
        const answered = checked.items.filter((a) => items.some((it) => it.id === a.id));
        s.dropped('confirm', 'invalid', checked.invalid + (checked.items.length - answered.length));
        for (const a of answered) known.set(keys[Number(a.id)], { idiomatic: a.idiomatic, definition: a.definition.trim() });
        await s.remember(answered.map((a) => [keys[Number(a.id)], known.get(keys[Number(a.id)])]));
      }
      const rejected = new Set<ExpressionCandidate>();
      todo.forEach((p, i) => {
        const answer = known.get(keys[i]);
        // No valid answer: the offline finding stands.
        if (!answer) return;
        if (!answer.idiomatic) return void rejected.add(p.candidate);
        // The learner lexicon's definitions are a teacher's already; WordNet's are a dictionary's.
        const definition = p.candidate.source === 'lexicon' ? undefined : answer.definition;
        p.candidate.enriched = { ...p.candidate.enriched, confirmed: true, ...(definition ? { definition } : {}) };
        s.report.confirmed++;
      });
      s.report.rejected += rejected.size;
      result.candidates = result.candidates.filter((c) => !rejected.has(c));
      progress((round + 1) / CONFIRM_ROUNDS);
      if (!rejected.size) break;
    }
    progress(1);
  }

  /** (c) and (d): the list in every target language, and similar expressions. */
  private async translate(result: InferenceResult, options: AnalysisOptions, s: Session, progress: (f: number) => void): Promise<void> {
    const languages = options.targetLanguages ?? [];
    const picks = pick(result, options).picks;
    for (let pass = 0; pass < TRANSLATE_PASSES; pass++) {
      const todo = picks.filter((p) => !p.candidate.enriched?.similar || languages.some((l) => !p.candidate.enriched?.translations?.[l]));
      if (!todo.length) break;
      const similarKeys = todo.map((p) => s.key('similar', p.expression.expression, senseOf(p)));
      const translationKeys = todo.map((p) => languages.map((l) => s.key('translate', p.expression.expression, senseOf(p), p.expression.example, l)));
      const similar = await s.cached<string[]>('similar', similarKeys);
      const translations = await s.cached<Translation>('translate', translationKeys.flat());
      const missing = todo.map((p, i) => ({ p, i })).filter(({ i }) => !similar.has(similarKeys[i]) || translationKeys[i].some((k) => !translations.has(k)));
      for (const batch of chunks(missing, this.config.env.LLM_BATCH_SIZE)) {
        const items: TranslateInput[] = batch.map(({ p, i }) => ({
          id: String(i),
          expression: p.expression.expression,
          definition: p.expression.definition,
          example: p.expression.example,
        }));
        const reply = await s.ask(translateRequest(items, languages));
        const checked = checkTranslate(reply.text, languages, items.length);
        const answered = checked.items.filter((a: TranslateAnswer) => items.some((it) => it.id === a.id));
        s.dropped('translate', 'invalid', checked.invalid + (checked.items.length - answered.length));
        const fresh: [string, unknown][] = [];
        for (const a of answered) {
          const i = Number(a.id);
          const expression = todo[i].expression.expression.toLowerCase();
          const close = [...new Set(a.similar.map((x) => x.trim()).filter((x) => x && x.toLowerCase() !== expression))].slice(0, 2);
          similar.set(similarKeys[i], close);
          fresh.push([similarKeys[i], close]);
          languages.forEach((language, l) => {
            const t = a.translations.find((x) => x.language === language);
            if (!t) return;
            const value: Translation = { expression: t.expression.trim(), definition: t.definition.trim(), example: t.example.trim() };
            translations.set(translationKeys[i][l], value);
            fresh.push([translationKeys[i][l], value]);
          });
        }
        await s.remember(fresh);
      }
      todo.forEach((p, i) => {
        const found = languages.flatMap((l, j) => {
          const t = translations.get(translationKeys[i][j]);
          return t ? [[l, t] as const] : [];
        });
        s.report.translated += found.length - Object.keys(p.candidate.enriched?.translations ?? {}).length;
        p.candidate.enriched = {
          confirmed: p.candidate.enriched?.confirmed ?? false,
          ...p.candidate.enriched,
          similar: similar.get(similarKeys[i]) ?? p.candidate.enriched?.similar ?? [],
          ...(languages.length ? { translations: Object.fromEntries(found) } : {}),
        };
      });
      progress((pass + 1) / TRANSLATE_PASSES);
    }
    progress(1);
  }
}

/** Whether one of two uses' words holds the other's. */
const overlap = (a: string, b: string) => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x.includes(y) || y.includes(x);
};

/** The result as postprocess takes it: every sentence left behind but the examples'. */
function withoutSentences(input: InferenceResult): InferenceResult {
  const { sentences: _sentences, ...rest } = input;
  return rest;
}
