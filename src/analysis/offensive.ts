import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';

/**
 * Profanity and slurs (the `obscenity` package's English data set, with its transformers for l33t, repeated
 * letters and the like): a line with them is never a model sentence, and such an expression is not taught.
 */
const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

export const isOffensive = (text: string): boolean => matcher.hasMatch(text);
