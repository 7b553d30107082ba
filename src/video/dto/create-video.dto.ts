import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsIn, ValidateNested } from 'class-validator';
import { Level } from '../../common/enums';
import { ShortsMode } from '../video.types';
import { LanguageTags, Optional, Text, WholeNumber } from '../../common/http/validation';

// Multipart fields arrive as strings: these turn "true"/"false" and digits into their values.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

export class CreateVideoDto {
  @ApiPropertyOptional({ example: 'The Bakery', default: 'show', description: 'Show name (used for the output folders)' })
  @Optional()
  @Text('showName', 120)
  showName: string = 'show';

  @ApiPropertyOptional({ example: 'S01E01', default: 'episode' })
  @Optional()
  @Text('episodeName', 120)
  episodeName: string = 'episode';

  @ApiPropertyOptional({ enum: ['en'], default: 'en' })
  @Optional()
  @IsIn(['en'], { message: 'language must be "en" (English is the only language supported for now)' })
  language: string = 'en';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 10 })
  @Optional()
  @Type(() => Number)
  @WholeNumber('maxExpressions', 1, 50)
  maxExpressions: number = 10;

  @ApiPropertyOptional({ enum: Level, enumName: 'Level', default: Level.Mixed })
  @Optional()
  @IsEnum(Level, { message: `level must be one of: ${Object.values(Level).join(', ')}` })
  level: Level = Level.Mixed;

  @ApiPropertyOptional({ default: true, description: 'Join all learning videos into one long-form video' })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'longForm must be true or false' })
  longForm: boolean = true;

  @ApiPropertyOptional({ default: true, description: 'Make vertical 9:16 shorts' })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'shorts must be true or false' })
  shorts: boolean = true;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 10,
    maximum: 600,
    default: 60,
    description: "Longest short, in seconds: a short's scene is trimmed (whole lines only) to fit",
  })
  @Optional()
  @Type(() => Number)
  @WholeNumber('shortsMaxSeconds', 10, 600)
  shortsMaxSeconds: number = 60;

  @ApiPropertyOptional({
    default: false,
    description:
      'Stop after the analysis in status REVIEW (for REVIEW_TTL_SECONDS) until the reviewed list of expressions is sent to POST /api/v1/videos/{id}/render',
  })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'review must be true or false' })
  review: boolean = false;

  @ApiPropertyOptional({
    enum: ['single', 'batched'],
    default: 'single',
    description: '"single": one short per expression; "batched": consecutive expressions share a short, up to shortsMaxSeconds',
  })
  @Optional()
  @IsIn(['single', 'batched'], { message: 'shortsMode must be "single" or "batched"' })
  shortsMode: ShortsMode = 'single';

  @ApiPropertyOptional({
    type: [String],
    example: ['ko', 'es'],
    default: [],
    maxItems: 10,
    description:
      "Learners' languages (BCP 47 codes; in a form, repeat the field or separate them with commas): translated expressions, slides and an output folder each. Needs an LLM provider (LLM_PROVIDER).",
  })
  @Optional()
  @LanguageTags('targetLanguages', 10, true)
  targetLanguages?: string[] = [];
}

/** The multipart form: the options plus the two files. */
export class UploadVideoDto extends CreateVideoDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The episode (any container and codec ffmpeg reads)' })
  video: unknown;

  @ApiProperty({ type: 'string', format: 'binary', description: 'Its subtitles: SRT or WebVTT' })
  subtitles: unknown;
}

/** The JSON variant: files already under MEDIA_ROOT. */
export class CreateVideoFromMediaDto extends CreateVideoDto {
  @ApiProperty({ example: 'bakery/s01e01.mp4', description: 'Path of the video, relative to MEDIA_ROOT' })
  @Text('videoPath', 1024)
  videoPath: string;

  @ApiProperty({ example: 'bakery/s01e01.srt', description: 'Path of the subtitles, relative to MEDIA_ROOT' })
  @Text('subtitlesPath', 1024)
  subtitlesPath: string;
}

export class SlideInputDto {
  @ApiProperty({ example: 'figure out' }) @Text('expression', 200) expression: string;
  @ApiProperty({ example: 'find the solution to a problem or understand it' }) @Text('definition', 1000) definition: string;
  @ApiProperty({ example: 'I will figure it out.' }) @Text('example', 1000) example: string;
  @ApiPropertyOptional({ example: 'intermediate', default: 'intermediate' })
  @Optional()
  @IsIn(['beginner', 'intermediate', 'advanced'], { message: 'difficulty must be one of: beginner, intermediate, advanced' })
  difficulty: string = 'intermediate';
  @ApiPropertyOptional({ example: 'phrasal_verb' })
  @Optional()
  @IsIn(['idiom', 'phrasal_verb', 'fixed_phrase', 'collocation'], { message: 'category must be one of: idiom, phrasal_verb, fixed_phrase, collocation' })
  category?: string;
}

export class CreateSlidesDto {
  @ApiProperty({ type: [SlideInputDto], minItems: 1, maxItems: 100 })
  @IsArray({ message: 'expressions must be a list of 1 to 100 slides' })
  @ArrayMinSize(1, { message: 'expressions must be a list of 1 to 100 slides' })
  @ArrayMaxSize(100, { message: 'expressions must be a list of 1 to 100 slides' })
  @Type(() => SlideInputDto)
  @ValidateNested({ each: true })
  expressions: SlideInputDto[];

  @ApiPropertyOptional({ type: 'integer', example: 1280, default: 1280, minimum: 320, maximum: 3840 })
  @Optional()
  @WholeNumber('width', 320, 3840)
  width: number = 1280;

  @ApiPropertyOptional({ type: 'integer', example: 720, default: 720, minimum: 240, maximum: 2160 })
  @Optional()
  @WholeNumber('height', 240, 2160)
  height: number = 720;
}
