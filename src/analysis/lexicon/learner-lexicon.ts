import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An entry of the learner lexicon as written in its JSON files (see learner/README.md). */
export interface LearnerEntry {
  expression: string;
  category: 'idiom' | 'phrasal_verb' | 'fixed_phrase';
  common: number;
  transparent: number;
  variants?: string[];
  literal?: string[];
  senses: LearnerSense[];
}

export interface LearnerSense {
  id: string;
  definition: string;
  example: string;
  object?: 'person' | 'thing' | 'none';
  cues?: string[];
  strict?: boolean;
}

/** Where the lexicon's files are, beside this module in the sources and in the build (nest-cli copies them). */
export const LEARNER_DIR = join(__dirname, 'learner');

/**
 * Every entry of the learner lexicon, file by file in name order. The files are checked as they are written
 * (scripts/check-lexicon.js, also run by the unit tests); here they are only read.
 */
export function readLearnerLexicon(dir = LEARNER_DIR): LearnerEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LearnerEntry[]);
}
