import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { InputFormat, Level } from '../../common/enums';
import { RecordView } from '../../status/dto/record-view.dto';

// Response shapes of pipelines, for the OpenAPI document. The service returns plain objects of these shapes.

export class TranslationView {
  @ApiProperty({ example: '알아내다', description: 'A natural equivalent of the expression in that sense' }) expression: string;
  @ApiProperty({ example: '생각한 끝에 문제의 답을 찾거나 무언가를 이해하다' }) definition: string;
  @ApiProperty({ example: '내가 알아낼게.', description: 'The example line, translated' }) example: string;
}

export class ExpressionUseView {
  @ApiProperty({ example: 'We finally figured out the map.' }) example: string;
  @ApiProperty({ example: 'figured out' }) matched: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 95200 }) startMs: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 97800 }) endMs: number | null;
  @ApiProperty({ example: 'find the answer to a problem or understand something after thinking' }) definition: string;
}

@ApiExtraModels(TranslationView)
export class ExpressionView {
  @ApiProperty({ example: 'figure out' }) expression: string;
  @ApiProperty({
    example: 'find the answer to a problem or understand something after thinking',
    description: 'The definition of the sense used in the example line',
  })
  definition: string;
  @ApiProperty({ type: String, nullable: true, example: 'solve', description: "The learner lexicon's id of that sense (null for a WordNet entry)" })
  sense: string | null;
  @ApiProperty({
    example: 'I will figure it out.',
    description: 'The line it was said in: at most two cues, never a lyric when a spoken use exists, never an offensive line',
  })
  example: string;
  @ApiProperty({ example: 'figured it out', description: 'The words of the example it was found on, as said' }) matched: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 1000, description: 'Start of the example cue in ms; null for plain text' })
  startMs: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 3000 }) endMs: number | null;
  @ApiProperty({ enum: ['beginner', 'intermediate', 'advanced'], example: 'intermediate' }) difficulty: string;
  @ApiProperty({ type: Number, example: 0.71, minimum: 0, maximum: 1 }) score: number;
  @ApiProperty({ enum: ['idiom', 'phrasal_verb', 'fixed_phrase', 'collocation'], example: 'phrasal_verb' }) category: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'How often the text uses it' }) occurrences: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(TranslationView) },
    example: { ko: { expression: '알아내다', definition: '생각한 끝에 답을 찾다', example: '내가 알아낼게.' } },
    description: 'With targetLanguages: the expression, its definition and the example in each language (BCP 47 code)',
  })
  translations?: Record<string, TranslationView>;
  @ApiPropertyOptional({ type: [String], example: ['work out', 'find out'], description: 'With an LLM provider: one or two similar expressions' })
  similar?: string[];
  @ApiPropertyOptional({
    type: [ExpressionUseView],
    description: 'Other lines of the text that use it (at most 5, the best first): a video review may pick one (its startMs) instead',
  })
  otherUses?: ExpressionUseView[];
}

export class LlmStatsView {
  @ApiProperty({ example: 'openai' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({ type: 'integer' }) requests: number;
  @ApiProperty({ type: 'integer', description: 'Items answered from the cache instead of asked again' }) cached: number;
  @ApiProperty({ type: 'integer' }) tokensIn: number;
  @ApiProperty({ type: 'integer' }) tokensOut: number;
  @ApiProperty({ type: 'integer', description: 'Expressions the model confirmed in their line' }) confirmed: number;
  @ApiProperty({ type: 'integer', description: 'Expressions the model found used literally, left out' }) rejected: number;
  @ApiProperty({ type: 'integer', description: 'Expressions the model proposed' }) proposed: number;
  @ApiProperty({ type: 'integer', description: 'Proposals found in the text and added' }) added: number;
  @ApiProperty({ type: 'integer', description: 'Proposals whose words are not in the text, dropped' }) invented: number;
  @ApiProperty({ type: 'integer', description: 'Answers that broke the schema or were not JSON, dropped' }) invalid: number;
  @ApiProperty({ type: 'integer', description: 'Expression translations (one per language)' }) translated: number;
}

export class StatsView {
  @ApiProperty({ enum: ['plain', 'srt', 'vtt', 'ass'], example: 'srt' }) format: string;
  @ApiProperty({ type: 'integer', example: 2 }) cues: number;
  @ApiProperty({ type: 'integer', example: 2 }) sentences: number;
  @ApiProperty({ type: 'integer', example: 13 }) tokens: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'Expression occurrences found before merging and ranking' }) candidates: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'Occurrences set aside as literal uses of the words' }) literal: number;
  @ApiProperty({ type: 'integer', example: 2 }) distinctExpressions: number;
  @ApiProperty({ type: 'integer', example: 2 }) returned: number;
  @ApiProperty({
    type: 'integer',
    example: 2,
    description: 'Of those returned, how many are of the level asked for; the others fill the list from the nearest levels',
  })
  exactLevel: number;
  @ApiProperty({ example: 'learner-lexicon+wordnet-3.1' }) model: string;
  @ApiPropertyOptional({
    example: 'done',
    description: 'With an LLM provider: done; partial: … (the token budget ran out); failed: … (the offline result, unchanged)',
  })
  enrichment?: string;
  @ApiPropertyOptional({ type: LlmStatsView, description: 'With an LLM provider: what the enrich stage did' }) llm?: LlmStatsView;
}

export class AnalysisResultView {
  @ApiProperty({ type: [ExpressionView] }) expressions: ExpressionView[];
  @ApiProperty({ type: StatsView }) stats: StatsView;
}

export class PipelineOptionsView {
  @ApiProperty({ enum: InputFormat, enumName: 'InputFormat', example: InputFormat.Auto }) format: InputFormat;
  @ApiProperty({ example: 'en' }) language: string;
  @ApiProperty({ type: 'integer', example: 10 }) maxExpressions: number;
  @ApiProperty({ enum: Level, enumName: 'Level', example: Level.Mixed }) level: Level;
  @ApiProperty({ type: [String], example: ['ko', 'es'], description: 'Languages to translate into (BCP 47); empty: none' }) targetLanguages: string[];
}

export class PipelineView extends RecordView {
  @ApiProperty({ type: PipelineOptionsView }) options: PipelineOptionsView;
  @ApiProperty({ type: AnalysisResultView, nullable: true, description: 'Set once status is SUCCESS' }) result: AnalysisResultView | null;
}
