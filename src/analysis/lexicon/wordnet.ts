import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type WordnetPos = 'v' | 'n' | 'a' | 'r';

/** One sense (synset) of a WordNet lemma: its gloss and the usage examples that come with it. */
export interface WordnetSense {
  gloss: string;
  examples: string[];
}

/** A multi-word lemma of WordNet 3.1 with its senses, most frequent first. */
export interface WordnetPhrase {
  phrase: string;
  pos: WordnetPos;
  senses: WordnetSense[];
  /** Seen in WordNet's sense-tagged corpus: in everyday use. */
  tagged: boolean;
}

const FILES: Record<WordnetPos, string> = { v: 'verb', n: 'noun', a: 'adj', r: 'adv' };
/** Noun files of WordNet that hold species, substances, anatomy and places: terms, not expressions. */
const TECHNICAL_NOUN_FILES = new Set([5, 8, 15, 17, 19, 20, 22, 25, 27]);
/** More senses than this say nothing more a learner needs. */
const MAX_SENSES = 6;

/** A gloss's definition and its quoted usage examples apart. */
export function splitGloss(gloss: string): WordnetSense {
  const parts = gloss
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    gloss: parts.filter((p) => !p.startsWith('"')).join('; '),
    examples: parts.filter((p) => p.startsWith('"')).map((p) => p.replace(/^"|"$/g, '')),
  };
}

/**
 * Reads WordNet's index and data files: every multi-word lemma of the parts of speech asked for (with all
 * its senses), and every single-word verb (to know which words are verbs). Proper names and the technical
 * noun files are left out.
 */
export function readWordnet(dir: string, parts: WordnetPos[]): { phrases: WordnetPhrase[]; verbs: Set<string> } {
  const phrases: WordnetPhrase[] = [];
  const verbs = new Set<string>();
  for (const pos of ['v', ...parts.filter((p) => p !== 'v')] as WordnetPos[]) {
    const index = readFileSync(join(dir, `index.${FILES[pos]}`), 'latin1');
    const data = readFileSync(join(dir, `data.${FILES[pos]}`));
    for (const line of index.split('\n')) {
      if (line.startsWith(' ') || !line) continue;
      const fields = line.trimEnd().split(' ');
      const lemma = fields[0];
      if (pos === 'v' && !lemma.includes('_')) verbs.add(lemma);
      if (!lemma.includes('_') || !parts.includes(pos)) continue;
      const senseCount = Number(fields[2]);
      const pointerCount = Number(fields[3]);
      const tagged = Number(fields[5 + pointerCount]) > 0;
      const offsets = fields.slice(6 + pointerCount, 6 + pointerCount + senseCount).map(Number);
      const senses: WordnetSense[] = [];
      let proper = false;
      let technical = false;
      for (const offset of offsets.slice(0, MAX_SENSES)) {
        const synset = data.toString('utf8', offset, data.indexOf(10, offset));
        const [head, gloss = ''] = synset.split(' | ');
        const head_ = head.split(' ');
        const wordCount = parseInt(head_[3], 16);
        const words = Array.from({ length: wordCount }, (_, i) => head_[4 + i * 2].replace(/\([a-z]+\)$/, ''));
        const form = words.find((w) => w.toLowerCase() === lemma) ?? lemma;
        if (/[A-Z]/.test(form)) proper = true; // New_York, Big_Ben
        if (pos === 'n' && TECHNICAL_NOUN_FILES.has(Number(head_[1]))) technical = true;
        const sense = splitGloss(gloss);
        if (sense.gloss) senses.push(sense);
      }
      if (proper || technical || !senses.length) continue;
      phrases.push({ phrase: lemma.replace(/_/g, ' '), pos, senses, tagged });
    }
  }
  return { phrases, verbs };
}
