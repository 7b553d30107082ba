import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsNotEmpty, IsString } from 'class-validator';
import { InputFormat, Level } from '../../common/enums';
import { LanguageTags, Optional, WholeNumber } from '../../common/http/validation';

export class CreatePipelineDto {
  @ApiProperty({
    description: 'English text, or a whole SRT / WebVTT / ASS subtitle file as a string (at most MAX_TEXT_BYTES, 2 MB by default)',
    example: '1\n00:00:01,000 --> 00:00:03,000\nI will figure it out.\n\n2\n00:00:03,500 --> 00:00:06,000\nShe put her career on hold.\n',
  })
  @IsString({ message: 'text must be a string: the subtitle file or plain text' })
  @IsNotEmpty({ message: 'text must not be empty' })
  text: string;

  @ApiPropertyOptional({ enum: InputFormat, enumName: 'InputFormat', default: InputFormat.Auto, description: 'Force the input format; auto detects it' })
  @Optional()
  @IsEnum(InputFormat, { message: `format must be one of: ${Object.values(InputFormat).join(', ')}` })
  format: InputFormat = InputFormat.Auto;

  @ApiPropertyOptional({ enum: ['en'], default: 'en', description: 'Language of the text; English only for now' })
  @Optional()
  @IsIn(['en'], { message: 'language must be "en" (English is the only language supported for now)' })
  language: string = 'en';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 10, description: 'How many expressions to return at most' })
  @Optional()
  @WholeNumber('maxExpressions', 1, 200)
  maxExpressions: number = 10;

  @ApiPropertyOptional({ enum: Level, enumName: 'Level', default: Level.Mixed, description: 'Keep only expressions of this difficulty; mixed keeps all' })
  @Optional()
  @IsEnum(Level, { message: `level must be one of: ${Object.values(Level).join(', ')}` })
  level: Level = Level.Mixed;

  @ApiPropertyOptional({
    type: [String],
    example: ['ko', 'es'],
    default: [],
    maxItems: 10,
    description: "Learners' languages (BCP 47 codes): each expression comes with its translation into each. Needs an LLM provider (LLM_PROVIDER).",
  })
  @Optional()
  @LanguageTags('targetLanguages', 10)
  targetLanguages?: string[] = [];
}
