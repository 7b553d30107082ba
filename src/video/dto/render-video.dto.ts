import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, ValidateNested } from 'class-validator';
import { Optional, Text, WholeNumber } from '../../common/http/validation';

/** A creator's correction of an expression's translation into one of the job's target languages. */
export class TranslationEditDto {
  @ApiProperty({ example: 'ko', description: "One of the job's targetLanguages" })
  @IsString({ message: 'language must be a language code of the job, such as "ko"' })
  language: string;

  @ApiPropertyOptional({ example: '분위기를 깨다' }) @Optional() @Text('translations.expression', 200) expression?: string;
  @ApiPropertyOptional() @Optional() @Text('translations.definition', 1000) definition?: string;
  @ApiPropertyOptional() @Optional() @Text('translations.example', 1000) example?: string;
}

/** One expression kept after the review, with the creator's edits. */
export class ReviewedExpressionDto {
  @ApiProperty({ example: 'break the ice', description: 'An expression of the analysis, as GET /api/v1/videos/{id}/expressions lists it' })
  @Text('expression', 200)
  expression: string;

  @ApiPropertyOptional({ example: 'to make people feel relaxed enough to start talking', description: 'A new definition, for the slide and the metadata' })
  @Optional()
  @Text('definition', 1000)
  definition?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 95200,
    description: "Show another use of it: the startMs of one of its otherUses (default: the analysis's choice)",
  })
  @Optional()
  @WholeNumber('startMs', 0, 2_147_483_647)
  startMs?: number;

  @ApiPropertyOptional({ type: [TranslationEditDto], maxItems: 10, description: 'Corrected translations (only the fields given change)' })
  @Optional()
  @IsArray({ message: 'translations must be a list of { language, expression?, definition?, example? }' })
  @ArrayMaxSize(10, { message: 'translations must have at most 10 items' })
  @Type(() => TranslationEditDto)
  @ValidateNested({ each: true })
  translations?: TranslationEditDto[];
}

/** The reviewed list: exactly what the lessons are cut of, in this order. */
export class RenderVideoDto {
  @ApiProperty({ type: [ReviewedExpressionDto], minItems: 1, maxItems: 50 })
  @IsArray({ message: 'expressions must be a list of 1 to 50 reviewed expressions' })
  @ArrayMinSize(1, { message: 'expressions must be a list of 1 to 50 reviewed expressions: keep at least one' })
  @ArrayMaxSize(50, { message: 'expressions must be a list of 1 to 50 reviewed expressions' })
  @Type(() => ReviewedExpressionDto)
  @ValidateNested({ each: true })
  expressions: ReviewedExpressionDto[];
}
