import winkNLP, { WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { SentenceTokens } from './analysis.types';

/** Longer runs of non-space characters are not words; they are cut to this length before tagging. */
export const MAX_TOKEN_CHARS = 40;
/** A text longer than this is tagged in windows of about this size, split between words. */
export const MAX_WINDOW_CHARS = 1000;

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

type Word = [normal: string, lemma: string, pos: string];

/**
 * Spoken contractions the tagger keeps whole, as the words they stand for: expressions are written with
 * those ("be going to", "let me", "come on"), and the grammar they carry must be seen to be blocked.
 */
export const SPOKEN_FORMS: Record<string, Word[]> = {
  "i'm": [
    ['i', 'i', 'PRON'],
    ['am', 'be', 'AUX'],
  ],
  gonna: [
    ['going', 'go', 'VERB'],
    ['to', 'to', 'PART'],
  ],
  gotta: [
    ['got', 'get', 'VERB'],
    ['to', 'to', 'PART'],
  ],
  wanna: [
    ['want', 'want', 'VERB'],
    ['to', 'to', 'PART'],
  ],
  hafta: [
    ['have', 'have', 'VERB'],
    ['to', 'to', 'PART'],
  ],
  oughta: [
    ['ought', 'ought', 'AUX'],
    ['to', 'to', 'PART'],
  ],
  kinda: [
    ['kind', 'kind', 'ADV'],
    ['of', 'of', 'ADP'],
  ],
  sorta: [
    ['sort', 'sort', 'ADV'],
    ['of', 'of', 'ADP'],
  ],
  outta: [
    ['out', 'out', 'ADP'],
    ['of', 'of', 'ADP'],
  ],
  lotta: [
    ['lot', 'lot', 'NOUN'],
    ['of', 'of', 'ADP'],
  ],
  lemme: [
    ['let', 'let', 'VERB'],
    ['me', 'me', 'PRON'],
  ],
  gimme: [
    ['give', 'give', 'VERB'],
    ['me', 'me', 'PRON'],
  ],
  dunno: [
    ['do', 'do', 'AUX'],
    ['not', 'not', 'PART'],
    ['know', 'know', 'VERB'],
  ],
  "c'mon": [
    ['come', 'come', 'VERB'],
    ['on', 'on', 'ADP'],
  ],
  cmon: [
    ['come', 'come', 'VERB'],
    ['on', 'on', 'ADP'],
  ],
  "y'know": [
    ['you', 'you', 'PRON'],
    ['know', 'know', 'VERB'],
  ],
  "y'all": [
    ['you', 'you', 'PRON'],
    ['all', 'all', 'DET'],
  ],
  gotcha: [
    ['got', 'get', 'VERB'],
    ['you', 'you', 'PRON'],
  ],
  "'em": [['them', 'them', 'PRON']],
  ya: [['you', 'you', 'PRON']],
  // Auto-captions and fast typists leave out the apostrophe.
  im: [
    ['i', 'i', 'PRON'],
    ['am', 'be', 'AUX'],
  ],
  dont: [
    ['do', 'do', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  cant: [
    ['can', 'can', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  didnt: [
    ['did', 'do', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  doesnt: [
    ['does', 'do', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  isnt: [
    ['is', 'be', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  wont: [
    ['will', 'will', 'AUX'],
    ['not', 'not', 'PART'],
  ],
  ive: [
    ['i', 'i', 'PRON'],
    ['have', 'have', 'AUX'],
  ],
  youre: [
    ['you', 'you', 'PRON'],
    ['are', 'be', 'AUX'],
  ],
  thats: [
    ['that', 'that', 'PRON'],
    ['is', 'be', 'AUX'],
  ],
  whats: [
    ['what', 'what', 'PRON'],
    ['is', 'be', 'AUX'],
  ],
};

/**
 * Tokens, lemmas and parts of speech of English text (wink-nlp's model), with spoken contractions expanded and
 * each token's surface kept (to show the words as said). The tagger's cost grows with the square of a token's
 * length and of a text's length: over-long "words" are cut and a long text is tagged in windows, with
 * `checkpoint` between them, so that any input is bounded work.
 */
export class Tagger {
  private readonly nlp: WinkMethods = winkNLP(model);
  private readonly wordCache = new Map<string, string>();

  tag(text: string, checkpoint: () => void = () => undefined): Omit<SentenceTokens, 'part'> {
    const its = this.nlp.its;
    const out = { normal: [] as string[], lemma: [] as string[], pos: [] as string[], surface: [] as string[] };
    // The tagger reads "in." at the end of a line as an abbreviation: a full stop stands apart from its word.
    const spaced = boundTokens(text).replace(/([A-Za-z])\.(?=\s|$)/g, '$1 .');
    for (const window of windows(spaced, MAX_WINDOW_CHARS)) {
      checkpoint();
      const tokens = this.nlp.readDoc(window).tokens();
      // wink's `its` helpers are plain functions that readDoc's token collection calls; they use no `this`.
      /* eslint-disable @typescript-eslint/unbound-method */
      const normal = tokens.out(its.normal);
      const lemma = tokens.out(its.lemma as unknown as typeof its.normal);
      const pos = tokens.out(its.pos);
      const value = tokens.out(its.value);
      const spaces = tokens.out(its.precedingSpaces);
      /* eslint-enable @typescript-eslint/unbound-method */
      normal.forEach((n, i) => {
        const surface = `${out.surface.length || i ? spaces[i] : ''}${value[i]}`;
        const spoken = SPOKEN_FORMS[n];
        if (!spoken) {
          out.normal.push(n);
          out.lemma.push(lemma[i]);
          out.pos.push(pos[i]);
          out.surface.push(surface);
          return;
        }
        spoken.forEach(([w, l, p], k) => {
          out.normal.push(w);
          out.lemma.push(l);
          out.pos.push(p);
          out.surface.push(k === 0 ? surface : '');
        });
      });
    }
    return out;
  }

  /** A word as the tagger normalises it ("through" -> "thru", "colour" -> "color"), for patterns to meet tokens. */
  normalWord(word: string): string {
    let normal = this.wordCache.get(word);
    if (normal === undefined) {
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const tokens = this.nlp.readDoc(word).tokens().out(this.nlp.its.normal);
      normal = tokens.length === 1 ? tokens[0] : word;
      this.wordCache.set(word, normal);
    }
    return normal;
  }
}
