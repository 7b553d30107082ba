// Pure planning of a video job: clip windows, names, how shorts are batched.
import { safeName } from './output-layout';

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
