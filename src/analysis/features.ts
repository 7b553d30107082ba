import { FeaturesResult, PreprocessResult, SentenceTokens } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { STOPWORDS } from './stopwords';
import { Tagger } from './tagger';
import { WordFrequency } from './word-frequency';

const CONTENT_POS = new Set(['NOUN', 'VERB', 'ADJ', 'ADV', 'PROPN']);
const TOP_NGRAMS = 20;
/** How often (ms) a long stage looks at its checkpoint: a cancel or a time limit is seen this fast. */
const CHECKPOINT_EVERY_MS = 50;

/**
 * Stage 2: tokens, lemmas and parts of speech of every sentence, cue by cue (so that each token knows the cue
 * it was said in), n-grams and word frequency.
 */
export class FeatureExtractor {
  constructor(
    private readonly frequency: WordFrequency,
    readonly tagger = new Tagger(),
  ) {}

  /** The tokens of one text taken as one part: for tests and for plain sentences. */
  tag(text: string, checkpoint: () => void = () => undefined): SentenceTokens {
    const t = this.tagger.tag(text, checkpoint);
    return { ...t, part: t.normal.map(() => 0) };
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
      const t: SentenceTokens = { normal: [], lemma: [], pos: [], part: [], surface: [] };
      sentence.parts.forEach((part, p) => {
        const tagged = this.tagger.tag(part.text, check);
        t.normal.push(...tagged.normal);
        t.lemma.push(...tagged.lemma);
        t.pos.push(...tagged.pos);
        t.surface.push(...tagged.surface.map((s, k) => (k === 0 && p > 0 ? ` ${s.trimStart()}` : s)));
        t.part.push(...tagged.normal.map(() => p));
      });
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
