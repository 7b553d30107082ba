import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../../common/enums';

// Response shapes, for the OpenAPI document. The service returns plain objects of these shapes.

export class StageView {
  @ApiProperty({ example: 2, minimum: 1, maximum: 4 }) stage: number;
  @ApiProperty({ example: 'features', enum: ['preprocess', 'features', 'inference', 'postprocess'] }) name: string;
  @ApiProperty({ enum: JobStatus, example: JobStatus.Progress }) status: JobStatus;
  @ApiProperty({ example: 70, minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ nullable: true, example: 'started', type: String }) message: string | null;
  @ApiProperty({ example: 1, description: 'Attempt number; above 1 after a retry' }) attempt: number;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-21T10:00:00.120Z' }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) finishedAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Last error of this stage' }) error: string | null;
}

export class ExpressionView {
  @ApiProperty({ example: 'figure out' }) expression: string;
  @ApiProperty({ example: 'find the solution to (a problem or question) or understand the meaning of' }) definition: string;
  @ApiProperty({ example: 'I will figure it out.' }) example: string;
  @ApiProperty({ example: 'figure it out', description: 'The words of the example it was found on, normalised' }) matched: string;
  @ApiProperty({ nullable: true, type: Number, example: 1000, description: 'Start of the example cue in ms; null for plain text' }) startMs: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 3000 }) endMs: number | null;
  @ApiProperty({ enum: ['beginner', 'intermediate', 'advanced'], example: 'intermediate' }) difficulty: string;
  @ApiProperty({ example: 0.71, minimum: 0, maximum: 1 }) score: number;
  @ApiProperty({ enum: ['idiom', 'phrasal_verb', 'collocation'], example: 'phrasal_verb' }) category: string;
  @ApiProperty({ example: 1, description: 'How often the text uses it' }) occurrences: number;
}

export class StatsView {
  @ApiProperty({ enum: ['plain', 'srt', 'vtt'], example: 'srt' }) format: string;
  @ApiProperty({ example: 2 }) cues: number;
  @ApiProperty({ example: 2 }) sentences: number;
  @ApiProperty({ example: 13 }) tokens: number;
  @ApiProperty({ example: 3, description: 'Expression occurrences found before merging and ranking' }) candidates: number;
  @ApiProperty({ example: 2 }) distinctExpressions: number;
  @ApiProperty({ example: 2 }) returned: number;
  @ApiProperty({ example: 'lexicon-wordnet-3.1' }) model: string;
}

export class ResultView {
  @ApiProperty({ type: [ExpressionView] }) expressions: ExpressionView[];
  @ApiProperty({ type: StatsView }) stats: StatsView;
}

export class PipelineView {
  @ApiProperty({ format: 'uuid', example: '0b8f6d2e-3c1a-4f57-9a41-2f0d1f9b8c11' }) id: string;
  @ApiProperty({ enum: JobStatus, example: JobStatus.Success }) status: JobStatus;
  @ApiProperty({ nullable: true, type: Number, example: 4 }) currentStage: number | null;
  @ApiProperty({ example: 100, description: 'Overall progress 0..100; never goes backwards' }) progress: number;
  @ApiProperty({ type: [StageView] }) stages: StageView[];
  @ApiProperty({ example: '2026-11-21T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-21T10:00:00.350Z' }) updatedAt: string;
  @ApiProperty({ nullable: true, type: String, example: null }) error: string | null;
  @ApiProperty({ example: { format: 'auto', language: 'en', maxExpressions: 10, level: 'mixed' } }) options: Record<string, unknown>;
  @ApiPropertyOptional({ type: ResultView, nullable: true, description: 'Set once status is SUCCESS' }) result: ResultView | null;
}
