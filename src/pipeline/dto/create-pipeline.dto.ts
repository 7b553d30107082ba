import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { InputFormat, Level } from '../../common/enums';

export class CreatePipelineDto {
  @ApiProperty({
    description: 'English text, or a whole SRT / WebVTT subtitle file as a string (at most MAX_TEXT_BYTES, 2 MB by default)',
    example: '1\n00:00:01,000 --> 00:00:03,000\nI will figure it out.\n\n2\n00:00:03,500 --> 00:00:06,000\nShe put her career on hold.\n',
  })
  @IsString()
  @IsNotEmpty({ message: 'text must not be empty' })
  text: string;

  @ApiPropertyOptional({ enum: InputFormat, default: InputFormat.Auto, description: 'Force the input format; auto detects it' })
  @IsOptional()
  @IsEnum(InputFormat, { message: `format must be one of: ${Object.values(InputFormat).join(', ')}` })
  format: InputFormat = InputFormat.Auto;

  @ApiPropertyOptional({ enum: ['en'], default: 'en', description: 'Language of the text; English only for now' })
  @IsOptional()
  @IsIn(['en'], { message: 'language must be "en" (English is the only language supported for now)' })
  language: string = 'en';

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 10, description: 'How many expressions to return at most' })
  @IsOptional()
  @IsInt({ message: 'maxExpressions must be a whole number' })
  @Min(1)
  @Max(200)
  maxExpressions: number = 10;

  @ApiPropertyOptional({ enum: Level, default: Level.Mixed, description: 'Keep only expressions of this difficulty; mixed keeps all' })
  @IsOptional()
  @IsEnum(Level, { message: `level must be one of: ${Object.values(Level).join(', ')}` })
  level: Level = Level.Mixed;
}
