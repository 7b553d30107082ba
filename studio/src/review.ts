// The review of a job's expressions before rendering: what the creator changed, and the list sent to
// POST /api/v1/videos/{id}/render. Pure.
import type { Expression, ExpressionUse } from './types';

export interface TranslationEdit {
  expression: string;
  definition: string;
}

/** One expression as the reviewer left it. */
export interface ReviewItem {
  source: Expression;
  keep: boolean;
  /** The use (line) the lesson is cut from: the analysis' own, or one of its otherUses. */
  startMs: number | null;
  definition: string;
  translations: Record<string, TranslationEdit>;
}

export interface RenderRequest {
  expressions: {
    expression: string;
    definition?: string;
    startMs?: number;
    translations?: { language: string; expression?: string; definition?: string }[];
  }[];
}

export function startReview(expressions: Expression[]): ReviewItem[] {
  return expressions.map((e) => ({
    source: e,
    keep: true,
    startMs: e.startMs,
    definition: e.definition,
    translations: Object.fromEntries(Object.entries(e.translations ?? {}).map(([lang, t]) => [lang, { expression: t.expression, definition: t.definition }])),
  }));
}

/** Every use of an expression: the one the analysis chose first, then its other lines. */
export function usesOf(e: Expression): ExpressionUse[] {
  return [{ example: e.example, matched: e.matched, startMs: e.startMs, endMs: e.endMs, definition: e.definition }, ...(e.otherUses ?? [])];
}

/** The use an item is cut from. */
export function chosenUse(item: ReviewItem): ExpressionUse {
  return usesOf(item.source).find((u) => u.startMs === item.startMs) ?? usesOf(item.source)[0];
}

/**
 * Picks another use: its line and times, and its sense's definition unless the reviewer wrote their own.
 */
export function pickUse(item: ReviewItem, startMs: number | null): ReviewItem {
  const before = chosenUse(item);
  const next = usesOf(item.source).find((u) => u.startMs === startMs) ?? before;
  const edited = item.definition !== before.definition;
  return { ...item, startMs: next.startMs, definition: edited ? item.definition : next.definition };
}

/** Moves item `i` by `by` places (-1 up, +1 down); the list is the order of the lessons. */
export function move<T>(items: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= items.length) return items;
  const out = items.slice();
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** Longest texts the service takes (RenderVideoDto). */
export const MAX_DEFINITION = 1000;
export const MAX_TRANSLATED_EXPRESSION = 200;

/** What keeps the reviewed list from being sent, in words: empty texts of kept expressions, nothing kept. */
export function problems(items: ReviewItem[]): string[] {
  const kept = items.filter((i) => i.keep);
  if (!kept.length) return ['Keep at least one expression.'];
  return kept.flatMap((i) => [
    ...(i.definition.trim() ? [] : [`The definition of "${i.source.expression}" is empty: write one.`]),
    ...Object.entries(i.translations).flatMap(([lang, t]) => [
      ...(t.expression.trim() ? [] : [`The ${lang} translation of "${i.source.expression}" is empty: write one.`]),
      ...(t.definition.trim() ? [] : [`The ${lang} definition of "${i.source.expression}" is empty: write one.`]),
    ]),
  ]);
}

/** Whether another line than the analysis's was picked while translations exist: they were written for the first. */
export function translationsNeedCheck(item: ReviewItem): boolean {
  return item.startMs !== item.source.startMs && Object.keys(item.translations).length > 0;
}

/** What to send: the kept expressions in order, with only what the reviewer changed. */
export function renderRequest(items: ReviewItem[]): RenderRequest {
  return {
    expressions: items
      .filter((i) => i.keep)
      .map((i) => {
        const use = chosenUse(i);
        const out: RenderRequest['expressions'][number] = { expression: i.source.expression };
        if (i.startMs !== i.source.startMs && i.startMs !== null) out.startMs = i.startMs;
        if (i.definition.trim() !== use.definition) out.definition = i.definition.trim();
        const translations = Object.entries(i.translations)
          .map(([language, t]) => {
            const was = i.source.translations?.[language];
            const edit: { language: string; expression?: string; definition?: string } = { language };
            if (was && t.expression.trim() !== was.expression) edit.expression = t.expression.trim();
            if (was && t.definition.trim() !== was.definition) edit.definition = t.definition.trim();
            return edit;
          })
          .filter((t) => t.expression !== undefined || t.definition !== undefined);
        if (translations.length) out.translations = translations;
        return out;
      }),
  };
}
