// Pure planning of a video job: clip windows, names, where outputs go, how shorts are batched.
import { join } from 'node:path';

export const OUTPUT_KINDS = ['clips', 'slides', 'expressions', 'long', 'shorts'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

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

export interface ClipWindow {
  contextStartMs: number;
  contextDurationMs: number;
  expressionOffsetMs: number;
  expressionDurationMs: number;
}

/** Tail room around the expression's own cue, so that its first and last words are not clipped. */
const EXPRESSION_PAD_MS = 250;

/**
 * The context clip is the expression's sentence padded on both sides, and the expression clip is its
 * sentence; neither goes past the ends of the video.
 */
export function clipWindow(startMs: number, endMs: number, videoMs: number, paddingMs: number): ClipWindow {
  const clamp = (t: number) => Math.max(0, Math.min(videoMs, t));
  const ctxStart = clamp(startMs - paddingMs);
  const ctxEnd = clamp(endMs + paddingMs);
  const exprStart = clamp(startMs - EXPRESSION_PAD_MS);
  const exprEnd = clamp(endMs + EXPRESSION_PAD_MS);
  return {
    contextStartMs: ctxStart,
    contextDurationMs: ctxEnd - ctxStart,
    expressionOffsetMs: exprStart - ctxStart,
    expressionDurationMs: exprEnd - exprStart,
  };
}

/** Groups segments in order into batches of at most `maxMs`; a segment longer than that is a batch alone. */
export function batchByDuration(durationsMs: number[], maxMs: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let total = 0;
  durationsMs.forEach((d, i) => {
    if (current.length && total + d > maxMs) {
      batches.push(current);
      current = [];
      total = 0;
    }
    current.push(i);
    total += d;
  });
  if (current.length) batches.push(current);
  return batches;
}

/** `02_figure-out`: the base name of an expression's files, in order. */
export const expressionBase = (index: number, expression: string) => `${String(index + 1).padStart(2, '0')}_${safeName(expression, 40)}`;
