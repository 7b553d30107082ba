// Where a video job's outputs go, and what each file is: the layout the cleanup sweeps by. Pure.
import { join } from 'node:path';

export const OUTPUT_KINDS = ['clips', 'slides', 'expressions', 'long', 'shorts'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Clips, slides and per-expression videos: intermediates, which may go sooner than the long-form and the shorts. */
const INTERMEDIATE: ReadonlySet<string> = new Set<OutputKind>(['clips', 'slides', 'expressions']);

/** A file-system-safe name: lower case, letters, digits and dashes, never empty, never `..`. */
export function safeName(text: string, max = 60): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || 'untitled';
}

/** OUTPUT_ROOT/{show}/{episode}/{language}: the folder of one episode's outputs. */
export function episodeDir(root: string, show: string, episode: string, language: string): string {
  return join(root, safeName(show), safeName(episode), safeName(language, 10));
}

/** What a file under OUTPUT_ROOT is, from its path relative to the root (as segments). */
export interface OutputClass {
  /** The episode folder it belongs to ("show/episode/lang"), or null for a file outside the layout. */
  episode: string | null;
  kind: OutputKind | null;
  intermediate: boolean;
}

/** The layout: show/episode/language/kind/file. Anything else is a final output of no known episode. */
export function classifyOutput(rel: string[]): OutputClass {
  const episode = rel.length >= 4 ? rel.slice(0, 3).join('/') : null;
  const kind = rel.length >= 5 && (OUTPUT_KINDS as readonly string[]).includes(rel[3]) ? (rel[3] as OutputKind) : null;
  return { episode, kind, intermediate: kind !== null && INTERMEDIATE.has(kind) };
}
