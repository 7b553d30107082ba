import { SentenceTokens } from '../analysis.types';
import { NOUN_PHRASE_POS, POSSESSIVES, STOPWORDS } from '../stopwords';
import { verbForms } from './inflections';
import { LexEntry, LexForm, Lexicon, ObjectKind, PatternToken } from './lexicon';

export interface Match {
  form: LexForm;
  entry: LexEntry;
  /** Token positions [start, end) in the sentence. */
  start: number;
  end: number;
  /** What the verb takes here: a person, a thing, or nothing (for senses that depend on it). */
  object: ObjectKind;
  /** The object surely is one: it stands between verb and particle, or fills the pattern's slot. */
  objectSure: boolean;
  /**
   * The object is a pronoun that says person or thing beyond doubt ("figure it out", "figure her out"), not
   * a noun judged from a short list, nor "them" (people or things).
   */
  objectPlain?: boolean;
}

/** Pronouns that name a person, or a thing, beyond doubt. */
const PLAIN_PRONOUNS = new Set(['it', 'this', 'that', 'me', 'him', 'her', 'us']);

const REFLEXIVES = new Set(['myself', 'yourself', 'himself', 'herself', 'itself', 'ourselves', 'yourselves', 'themselves', 'oneself']);
const VERB_POS = new Set(['VERB', 'AUX']);
/** How many words may stand between a verb and its particle ("put her new career on hold"). */
const MAX_OBJECT_GAP = 4;
const MAX_SLOT = 3;
/** Words that open a noun phrase after a preposition: "to the land", "to her", "to Paris". */
const NOUN_PHRASE_START = new Set(['DET', 'PRON', 'PROPN', 'NUM']);
const NOUN_CONTEXT = new Set(['DET', 'ADJ', 'NUM']);
const PERSON_PRONOUNS = new Set([
  'me',
  'you',
  'him',
  'her',
  'us',
  'them',
  'i',
  'he',
  'she',
  'we',
  'they',
  'someone',
  'somebody',
  'everyone',
  'everybody',
  'anyone',
  'anybody',
  'nobody',
  'myself',
  'yourself',
  'himself',
  'herself',
  'ourselves',
  'yourselves',
  'themselves',
  'whom',
  'who',
]);
/** Nouns that name people: the object of "turn in", "pick up", "let down" is then a person. */
const PERSON_NOUNS = new Set(
  `man men woman women guy guys kid kids child children boy boys girl girls baby friend friends mom mum mother dad father
  parent parents wife husband brother sister son daughter family people person cop cops police officer doctor nurse boss
  teacher student students client clients customer customers neighbor neighbour partner girlfriend boyfriend uncle aunt
  cousin grandma grandpa grandmother grandfather team witness suspect guest guests staff crew soldier soldiers agent`.split(/\s+/),
);

/** Heads of noun phrases that say when, not what: after a particle they make no object ("hang on a sec"). */
const TIME_NOUNS = new Set(
  'sec second seconds minute minutes moment while bit night day days week weeks month year years time hour hours tonight today tomorrow yesterday morning evening afternoon weekend'.split(
    ' ',
  ),
);

/** "put that on hold": a demonstrative stands for a whole noun phrase, whatever the tagger calls it. */
const DEMONSTRATIVES = new Set(['this', 'that', 'these', 'those', 'it', 'them', 'one']);

const wordAt = (t: SentenceTokens, i: number, word: string, inflect: boolean) =>
  i < t.normal.length && (t.normal[i] === word || t.lemma[i] === word || (inflect && verbForms(word).has(t.normal[i])));
/** A word that can stand in a short noun phrase; "to" and "not" (tagged PART, like "'s") cannot. */
const inPhrase = (t: SentenceTokens, i: number) =>
  i < t.pos.length && (DEMONSTRATIVES.has(t.normal[i]) || (NOUN_PHRASE_POS.has(t.pos[i]) && t.normal[i] !== 'to' && t.normal[i] !== 'not'));

/**
 * Where the pattern from position `p` can match the tokens from `i`: returns the end index of the match, or
 * -1. Slots take short noun phrases, and a splittable phrasal verb admits its object after the verb.
 */
function follow(t: SentenceTokens, form: LexForm, p: number, i: number, verbs: Set<string>): number {
  const pattern = form.pattern;
  if (p === pattern.length) return i;
  const token: PatternToken = pattern[p];
  switch (token.kind) {
    case 'word': {
      const inflect = p === 0 ? form.entry.inflects : verbs.has(token.word) && !STOPWORDS.has(token.word);
      if (wordAt(t, i, token.word, inflect)) {
        const end = follow(t, form, p + 1, i + 1, verbs);
        if (end >= 0) return end;
      }
      // Idiom lists often drop the possessive ("fly by the seat of pants"): let one stand before a word.
      if (p > 0 && POSSESSIVES.has(t.normal[i]) && wordAt(t, i + 1, token.word, false)) return follow(t, form, p + 1, i + 2, verbs);
      // A hyphen between two words of the pattern ("knee-jerk", "need-to-know"): the words are the same.
      if (p > 0 && t.normal[i] === '-' && wordAt(t, i + 1, token.word, inflect)) return follow(t, form, p + 1, i + 2, verbs);
      // "figured it out", "put her career on hold": the object sits between verb and particle.
      if (p === 1 && form.splittable) {
        for (let gap = 1; gap <= MAX_OBJECT_GAP && inPhrase(t, i + gap - 1); gap++) {
          if (wordAt(t, i + gap, token.word, false) && isObjectPhrase(t, i, i + gap)) {
            const end = follow(t, form, p + 1, i + gap + 1, verbs);
            if (end >= 0) return end;
          }
        }
      }
      return -1;
    }
    case 'poss': {
      if (POSSESSIVES.has(t.normal[i])) return follow(t, form, p + 1, i + 1, verbs);
      for (let len = 1; len <= MAX_SLOT && inPhrase(t, i + len - 1); len++) {
        if (t.normal[i + len] === "'s") {
          const end = follow(t, form, p + 1, i + len + 1, verbs);
          if (end >= 0) return end;
        }
      }
      return -1;
    }
    case 'refl':
      return REFLEXIVES.has(t.normal[i]) ? follow(t, form, p + 1, i + 1, verbs) : -1;
    case 'np': {
      for (let len = 1; len <= MAX_SLOT && inPhrase(t, i + len - 1); len++) {
        if (!isObjectPhrase(t, i, i + len)) continue;
        const end = follow(t, form, p + 1, i + len, verbs);
        if (end >= 0) return end;
      }
      return -1;
    }
  }
}

/**
 * Whether tokens [from, to) can be one noun phrase: a pronoun alone, or a determiner or possessive first, then
 * adjectives or numbers, ending on a noun, name or number ("her new career", "the whole thing", "tram 28").
 * "give it a thumbs up" is two phrases: not "give up" split by its object.
 */
function isObjectPhrase(t: SentenceTokens, from: number, to: number): boolean {
  if (to - from === 1) return ['PRON', 'PROPN', 'NOUN', 'NUM'].includes(t.pos[from]) || DEMONSTRATIVES.has(t.normal[from]);
  for (let k = from; k < to; k++) {
    const pos = t.pos[k];
    const opener = pos === 'DET' || POSSESSIVES.has(t.normal[k]);
    if (opener && k > from) return false;
    if (pos === 'PRON' && !POSSESSIVES.has(t.normal[k])) return false;
  }
  return ['NOUN', 'PROPN', 'NUM'].includes(t.pos[to - 1]);
}

/**
 * A phrasal verb needs its verb used as a verb: "figure out", not "the figure out there". The tagger often
 * takes a verb for a noun (an imperative at the start of a line, "gotta cheer up"): only a determiner,
 * adjective, number or possessive in front makes the word a noun.
 */
function verbHere(t: SentenceTokens, i: number): boolean {
  if (VERB_POS.has(t.pos[i])) return true;
  return !NOUN_CONTEXT.has(t.pos[i - 1] ?? '') && !POSSESSIVES.has(t.normal[i - 1] ?? '');
}

/**
 * "brought him to the hospital" is not "bring to": when a split phrasal verb ends on its particle and a noun
 * phrase follows, the particle is a preposition.
 */
function isPrepositionalSplit(t: SentenceTokens, form: LexForm, start: number, end: number): boolean {
  const split = end - start > form.pattern.length;
  return split && form.splittable && form.pattern.length === 2 && NOUN_PHRASE_START.has(t.pos[end]);
}

/** Person or thing, from the head of a short noun phrase ('none' for one that says when). */
function kindOf(t: SentenceTokens, from: number, to: number): ObjectKind {
  for (let k = to - 1; k >= from; k--) {
    const word = t.normal[k];
    if (TIME_NOUNS.has(word)) return 'none';
    if (t.pos[k] === 'PRON') return PERSON_PRONOUNS.has(word) ? 'person' : 'thing';
    if (t.pos[k] === 'PROPN') return 'person';
    if (t.pos[k] === 'NOUN') return PERSON_NOUNS.has(word) || PERSON_NOUNS.has(t.lemma[k]) ? 'person' : 'thing';
  }
  return 'thing';
}

/** What the verb of a match takes: the words between verb and particle, else what follows the match. */
export function objectOf(t: SentenceTokens, form: LexForm, start: number, end: number): { object: ObjectKind; sure: boolean; plain?: boolean } {
  const second = form.pattern[1];
  if (form.splittable && second.kind === 'word' && end - start > form.pattern.length) {
    let k = start + 1;
    while (k < end && !wordAt(t, k, second.word, false)) k++;
    if (k > start + 1) return { object: kindOf(t, start + 1, k), sure: true, plain: k === start + 2 && PLAIN_PRONOUNS.has(t.normal[start + 1]) };
  }
  const slot = form.pattern.findIndex((p) => p.kind === 'np');
  if (slot > 0) {
    // The slot's words are those the pattern did not spell out: the match minus the words around the slot.
    const after = form.pattern.length - slot - 1;
    return { object: kindOf(t, start + slot, end - after), sure: true };
  }
  let k = end;
  while (k < t.normal.length && k < end + MAX_SLOT + 1 && inPhrase(t, k)) k++;
  // After a phrasal verb that ends on its preposition ("go off on", "come up with"), what follows is its
  // object for sure; after a particle it may be an adverbial ("hang on a sec").
  const last = form.pattern[form.pattern.length - 1];
  const prepositional = form.pattern.length >= 3 && last.kind === 'word' && PREPOSITION_ENDS.has(last.word);
  return { object: k > end ? kindOf(t, end, k) : 'none', sure: prepositional && k > end };
}

const listBlocker = (m: Match) => !m.entry.senses.length && m.entry.source !== 'lexicon';
/** At equal length: the learner lexicon's blockers, its entries, then the idiom list's, then WordNet's. */
/** What a three-word phrasal verb ends on when its last word takes the object: "go off on", "look forward to". */
const PREPOSITION_ENDS = new Set(['on', 'to', 'with', 'at', 'for', 'of', 'from', 'about', 'into', 'against']);

const PRIORITY = (m: Match) => (m.entry.source === 'lexicon' ? (m.entry.senses.length ? 1 : 0) : m.entry.senses.length ? 3 : 2);

/**
 * An idiom from the definition-less `idioms` list keeps a wrong, shorter phrasal verb out of its words
 * ("knock it out of the park" is not "knock out"), but not the learner lexicon's own idiom or phrase inside
 * it ("not out of the woods" is "out of the woods").
 */
const mayStandInside = (m: Match, k: Match) =>
  listBlocker(k) && m.entry.source === 'lexicon' && m.entry.category !== 'phrasal_verb' && m.form.pattern.length >= 3 && m.start >= k.start && m.end <= k.end;

/** What the model makes of a match: its sense (kept), literal (its words are taken), or unsure (not). */
export type Verdict = 'sense' | 'literal' | 'unsure';

const KEEP_ALL = { kind: 'sense' as Verdict };

/**
 * Every lexicon expression in one sentence. Where two overlap, the longer one stays; at equal length the
 * learner lexicon's blockers, then its entries, then the others. `judge` decides on each in that order: a
 * match whose sense is unsure does not take its words, so that a shorter one may have them ("the alarm went
 * off on the second floor" is not "go off on" someone, it is "go off"). Blockers take their words and are
 * never returned; literal uses take theirs and are returned for the count, marked so.
 */
export function matchSentence<J extends { kind: Verdict } = { kind: Verdict }>(
  lexicon: Lexicon,
  t: SentenceTokens,
  judge: (m: Match) => J = () => KEEP_ALL as J,
): (Match & { judgement: J })[] {
  const found: Match[] = [];
  for (let i = 0; i < t.normal.length; i++) {
    for (const form of lexicon.startingWith([t.normal[i], t.lemma[i]])) {
      if (form.entry.verb && !verbHere(t, i)) continue;
      const end = follow(t, form, 0, i, lexicon.verbs);
      if (end <= i || t.normal.slice(i, end).some((w, k) => t.pos[i + k] === 'PUNCT' && w !== '-') || isPrepositionalSplit(t, form, i, end)) continue;
      const { object, sure, plain } = objectOf(t, form, i, end);
      found.push({ form, entry: form.entry, start: i, end, object, objectSure: sure, objectPlain: plain });
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || PRIORITY(a) - PRIORITY(b) || a.start - b.start);
  const taken: Match[] = [];
  const out: (Match & { judgement: J })[] = [];
  for (const m of found) {
    if (taken.some((k) => m.start < k.end && k.start < m.end && !mayStandInside(m, k))) continue;
    if (!m.entry.senses.length) {
      taken.push(m);
      continue;
    }
    const judgement = judge(m);
    if (judgement.kind === 'unsure') continue;
    taken.push(m);
    out.push({ ...m, judgement });
  }
  return out.sort((a, b) => a.start - b.start);
}
