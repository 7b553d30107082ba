import winkNLP, { WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { FeaturesResult, PreprocessResult, SentenceTokens } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { STOPWORDS } from './stopwords';
import { WordFrequency } from './word-frequency';

const CONTENT_POS = new Set(['NOUN', 'VERB', 'ADJ', 'ADV', 'PROPN']);
/** Longer runs of non-space characters are not words; they are cut to this length before tagging. */
export const MAX_TOKEN_CHARS = 40;
/** A text longer than this is tagged in windows of about this size, split between words. */
export const MAX_WINDOW_CHARS = 1000;
/** How often (ms) a long stage looks at its checkpoint: a cancel or a time limit is seen this fast. */
const CHECKPOINT_EVERY_MS = 50;

/** Cuts every run of non-space characters to MAX_TOKEN_CHARS. */
export function boundTokens(text: string): string {
  return text.replace(new RegExp(`\\S{${MAX_TOKEN_CHARS + 1},}`, 'g'), (run) => run.slice(0, MAX_TOKEN_CHARS));
}

/** The text in pieces of at most about `size` characters, cut at spaces. */
export function windows(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}
const TOP_NGRAMS = 20;

/** Stage 2: tokens, lemmas and parts of speech (wink-nlp's English model), n-grams and word frequency. */
export class FeatureExtractor {
  private readonly nlp: WinkMethods = winkNLP(model);

  constructor(private readonly frequency: WordFrequency) {}

  /**
   * Tokens, lemmas and parts of speech of one sentence. The tagger's cost grows with the square of a token's
   * length and of a text's length: over-long "words" are cut (no English word is that long) and a long text
   * is tagged in windows, with `checkpoint` between them, so that any input is bounded work.
   */
  tag(text: string, checkpoint: () => void = () => undefined): SentenceTokens {
    const its = this.nlp.its;
    const out: SentenceTokens = { normal: [], lemma: [], pos: [] };
    for (const window of windows(boundTokens(text), MAX_WINDOW_CHARS)) {
      checkpoint();
      const tokens = this.nlp.readDoc(window).tokens();
      // wink's `its` helpers are plain functions that readDoc's token collection calls; they use no `this`.
      /* eslint-disable @typescript-eslint/unbound-method */
      out.normal.push(...tokens.out(its.normal));
      out.lemma.push(...tokens.out(its.lemma as unknown as typeof its.normal));
      out.pos.push(...tokens.out(its.pos));
      /* eslint-enable @typescript-eslint/unbound-method */
    }
    return out;
  }

  extract(input: PreprocessResult, checkpoint: Checkpoint): FeaturesResult {
    const tokens: SentenceTokens[] = [];
    const zipf: Record<string, number> = {};
    const ngrams = new Map<string, number>();
    let tokenCount = 0;
    let lastCheck = 0;
    input.sentences.forEach((sentence, i) => {
      const check = () => {
        const now = Date.now();
        if (now - lastCheck < CHECKPOINT_EVERY_MS) return;
        lastCheck = now;
        checkpoint((i / input.sentences.length) * 100);
      };
      if (i === 0) checkpoint(0);
      const t = this.tag(sentence.text, check);
      tokens.push(t);
      tokenCount += t.normal.length;
      const content: string[] = [];
      t.lemma.forEach((lemma, k) => {
        if (!CONTENT_POS.has(t.pos[k]) || STOPWORDS.has(lemma)) return void content.push('');
        content.push(lemma);
        const z = this.frequency.of(lemma) ?? this.frequency.of(t.normal[k]);
        if (z !== undefined) zipf[lemma] = Math.round(z * 100) / 100;
      });
      for (let n = 2; n <= 3; n++) {
        for (let k = 0; k + n <= content.length; k++) {
          const gram = content.slice(k, k + n);
          if (gram.every(Boolean)) ngrams.set(gram.join(' '), (ngrams.get(gram.join(' ')) ?? 0) + 1);
        }
      }
    });
    const topNgrams = [...ngrams]
      .filter(([, count]) => count > 1)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_NGRAMS)
      .map(([ngram, count]) => ({ ngram, count }));
    return { format: input.format, cues: input.cues, sentences: input.sentences, tokens, zipf, topNgrams, tokenCount };
  }
}
