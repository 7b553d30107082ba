// Which sense of an expression a line uses, from the words around it: pure, and the heart of giving a learner
// the right definition.
import { LexEntry, ObjectKind, Sense } from './lexicon/lexicon';

/** The words around a use: its sentence and the ones before and after, the expression's own words left out. */
export interface SenseContext {
  /** Normal forms and lemmas. */
  words: Set<string>;
  /** The normal forms joined by single spaces, with a space at both ends: where phrase cues are looked for. */
  text: string;
  object: ObjectKind;
  /** Whether the object is surely one (it stands between verb and particle, or fills a slot). */
  objectSure: boolean;
  /** Whether it is a pronoun that says person or thing beyond doubt ("figure it out"). */
  objectPlain?: boolean;
}

export type SenseChoice = { kind: 'sense'; sense: Sense; confidence: number } | { kind: 'literal' } | { kind: 'unsure' };

/** The order of the senses (the most common in speech first) counts this much per place, up to MAX_ORDER. */
const ORDER_WEIGHT = 0.15;
const MAX_ORDER = 0.6;
/** A cue found around the line outweighs any place in the order. */
const CUE_WEIGHT = 1.5;
const OBJECT_MATCH = 0.4;
/** An object that only may be one (a noun phrase after the particle may be an adverbial: "hang on a sec"). */
const OBJECT_MISMATCH_UNSURE = -0.5;
/** An object that surely is one (between verb and particle: "turn him in") rules out a sense without one. */
const OBJECT_MISMATCH_SURE = -3;

const has = (context: SenseContext, cue: string) => (cue.includes(' ') ? context.text.includes(` ${cue} `) : context.words.has(cue));

/** How many of the cues are around. */
export function cueHits(cues: string[], context: SenseContext): number {
  let n = 0;
  for (const cue of cues) if (has(context, cue)) n++;
  return n;
}

function objectFit(sense: Sense, context: SenseContext): number {
  if (!sense.object) return 0;
  if (sense.object === context.object) return OBJECT_MATCH;
  // A person and a thing are told apart by a short list of nouns: a mix-up there counts little; "it" and
  // "her" say which beyond doubt.
  if (sense.object !== 'none' && context.object !== 'none') return context.objectPlain ? OBJECT_MISMATCH_SURE : OBJECT_MISMATCH_UNSURE / 2;
  return context.objectSure ? OBJECT_MISMATCH_SURE : OBJECT_MISMATCH_UNSURE;
}

/**
 * The sense an entry has in a line: each sense scores by its place in the list, the cues of it found around
 * the line and whether the verb's object fits it. A use is literal (not the expression at all) when words
 * that show the literal reading are there at least as much as any sense's cues; it is unsure (left out
 * rather than given a wrong definition) when no sense may be chosen: a strict sense without its cues, or
 * an object no sense takes.
 */
export function chooseSense(entry: LexEntry, context: SenseContext): SenseChoice {
  const scored = entry.senses
    .map((sense, i) => {
      const hits = cueHits(sense.cues, context);
      return { sense, hits, score: -Math.min(MAX_ORDER, ORDER_WEIGHT * i) + CUE_WEIGHT * Math.min(hits, 3) + objectFit(sense, context) };
    })
    .filter((s) => (!s.sense.strict || s.hits > 0) && s.score > OBJECT_MISMATCH_SURE / 2)
    .sort((a, b) => b.score - a.score);
  const literal = cueHits(entry.literal, context);
  const best = scored[0];
  if (literal > 0 && (!best || literal >= best.hits)) return { kind: 'literal' };
  if (!best) return { kind: 'unsure' };
  if (scored.length === 1 && entry.senses.length === 1) return { kind: 'sense', sense: best.sense, confidence: best.hits > 0 ? 0.95 : 0.85 };
  const margin = best.score - (scored[1]?.score ?? best.score - 1);
  const confidence = Math.max(0.4, Math.min(0.95, 0.5 + 0.2 * margin + (best.hits > 0 ? 0.2 : 0)));
  return { kind: 'sense', sense: best.sense, confidence };
}
