// Pure naming of a video job's files.
import { safeName } from './output-layout';

/** `02_figure-out`: the base name of an expression's files, in order. */
export const expressionBase = (index: number, expression: string) => `${String(index + 1).padStart(2, '0')}_${safeName(expression, 40)}`;
