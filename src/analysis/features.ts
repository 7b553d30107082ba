import winkNLP, { WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { FeaturesResult, PreprocessResult, SentenceTokens } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { STOPWORDS } from './stopwords';
import { WordFrequency } from './word-frequency';

const CONTENT_POS = new Set(['NOUN', 'VERB', 'ADJ', 'ADV', 'PROPN']);
const TOP_NGRAMS = 20;

/** Stage 2: tokens, lemmas and parts of speech (wink-nlp's English model), n-grams and word frequency. */
export class FeatureExtractor {
  private readonly nlp: WinkMethods = winkNLP(model);

  constructor(private readonly frequency: WordFrequency) {}

  tag(text: string): SentenceTokens {
    const its = this.nlp.its;
    // wink's `its` helpers are plain functions that readDoc's token collection calls; they use no `this`.
    /* eslint-disable @typescript-eslint/unbound-method */
    const tokens = this.nlp.readDoc(text).tokens();
    return { normal: tokens.out(its.normal), lemma: tokens.out(its.lemma as unknown as typeof its.normal), pos: tokens.out(its.pos) };
    /* eslint-enable @typescript-eslint/unbound-method */
  }

  extract(input: PreprocessResult, checkpoint: Checkpoint): FeaturesResult {
    const tokens: SentenceTokens[] = [];
    const zipf: Record<string, number> = {};
    const ngrams = new Map<string, number>();
    let tokenCount = 0;
    input.sentences.forEach((sentence, i) => {
      if (i % 16 === 0) checkpoint((i / input.sentences.length) * 100);
      const t = this.tag(sentence.text);
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
