import { InputFormat, Level } from '../common/enums';
import { AnalysisResult, FeaturesResult, InferenceResult, PreprocessResult } from './analysis.types';
import { Checkpoint } from './checkpoint';
import { LexiconExpressionModel } from './expression-model';
import { FeatureExtractor } from './features';
import { Lexicon } from './lexicon/lexicon';
import { postprocess } from './postprocess';
import { preprocess } from './subtitles';
import { Tagger } from './tagger';
import { WordFrequency } from './word-frequency';

/** What a pipeline was asked for; travels with every stage's job. */
export interface AnalysisOptions {
  format: InputFormat;
  language: string;
  maxExpressions: number;
  level: Level;
  /** BCP 47 codes of the learners' languages to translate into (the enrich stage). */
  targetLanguages?: string[];
  /** The enrich stage runs (an LLM provider is configured): the inference stage hands on every sentence. */
  enrich?: boolean;
}

/** The analysis's own stages, numbered as the engine runs them (on a stage thread or inline). */
export type AnalysisStage = keyof StageIO;
/** The stage whose output is the analysis's result. */
export const FINAL_ANALYSIS_STAGE: AnalysisStage = 4;

/** Each stage's input; the output of one is the input of the next. */
export interface StageIO {
  1: { in: { text: string }; out: PreprocessResult };
  2: { in: PreprocessResult; out: FeaturesResult };
  3: { in: FeaturesResult; out: InferenceResult };
  4: { in: InferenceResult; out: AnalysisResult };
}

/** The four stages' logic behind one object that loads the models once. No queue, no thread in here. */
export class AnalysisEngine {
  private readonly features: FeatureExtractor;
  private readonly model: LexiconExpressionModel;

  constructor(lexicon?: Lexicon, frequency = new WordFrequency()) {
    const tagger = new Tagger();
    this.features = new FeatureExtractor(frequency, tagger);
    // Patterns are written the way the tagger writes words ("through" is "thru" to it).
    this.model = new LexiconExpressionModel(lexicon ?? new Lexicon({ normalWord: (w) => tagger.normalWord(w) }), frequency);
  }

  run<S extends keyof StageIO>(stage: S, input: StageIO[S]['in'], options: AnalysisOptions, checkpoint: Checkpoint): StageIO[S]['out'] {
    switch (stage) {
      case 1: {
        checkpoint(0);
        return preprocess((input as StageIO[1]['in']).text, options.format);
      }
      case 2:
        return this.features.extract(input as StageIO[2]['in'], checkpoint);
      case 3: {
        const features = input as StageIO[3]['in'];
        const { candidates, matches, literal } = this.model.findExpressions(features, checkpoint);
        const used = candidates.flatMap((c) => c.occurrences.map((o) => o.sentenceIndex));
        const examples = Object.fromEntries(used.map((i) => [i, features.sentences[i]]));
        const { format, cues, tokenCount } = features;
        const result: InferenceResult = {
          format,
          cues,
          sentenceCount: features.sentences.length,
          examples,
          tokenCount,
          model: this.model.name,
          matches,
          literal,
          candidates,
        };
        if (options.enrich) result.sentences = features.sentences;
        return result;
      }
      case 4:
        return postprocess(input as StageIO[4]['in'], options, checkpoint);
    }
    throw new Error(`unknown stage ${String(stage)}`);
  }

  /** All four stages in one call: for tests and the analysis benchmark's baseline. */
  analyse(text: string, options: AnalysisOptions, checkpoint: Checkpoint = () => undefined): AnalysisResult {
    const pre = this.run(1, { text }, options, checkpoint);
    return this.run(4, this.run(3, this.run(2, pre, options, checkpoint), options, checkpoint), options, checkpoint);
  }
}
