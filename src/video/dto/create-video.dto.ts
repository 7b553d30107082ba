import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Level } from '../../common/enums';

// Multipart fields arrive as strings: these turn "true"/"false" and digits into their values.
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

export class CreateVideoDto {
  @ApiPropertyOptional({ example: 'The Bakery', default: 'show', description: 'Show name (used for the output folders)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  showName: string = 'show';

  @ApiPropertyOptional({ example: 'S01E01', default: 'episode' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  episodeName: string = 'episode';

  @ApiPropertyOptional({ enum: ['en'], default: 'en' })
  @IsOptional()
  @IsIn(['en'], { message: 'language must be "en" (English is the only language supported for now)' })
  language: string = 'en';

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxExpressions must be a whole number' })
  @Min(1)
  @Max(50)
  maxExpressions: number = 10;

  @ApiPropertyOptional({ enum: Level, default: Level.Mixed })
  @IsOptional()
  @IsEnum(Level, { message: `level must be one of: ${Object.values(Level).join(', ')}` })
  level: Level = Level.Mixed;

  @ApiPropertyOptional({ default: true, description: 'Join all learning videos into one long-form video' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'longForm must be true or false' })
  longForm: boolean = true;

  @ApiPropertyOptional({ default: true, description: 'Make vertical 9:16 shorts' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'shorts must be true or false' })
  shorts: boolean = true;

  @ApiPropertyOptional({ minimum: 10, maximum: 600, default: 180, description: 'Longest short, in seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'shortsMaxSeconds must be a whole number' })
  @Min(10)
  @Max(600)
  shortsMaxSeconds: number = 180;
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
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  videoPath: string;

  @ApiProperty({ example: 'bakery/s01e01.srt', description: 'Path of the subtitles, relative to MEDIA_ROOT' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  subtitlesPath: string;
}

export class SlideInputDto {
  @ApiProperty({ example: 'figure out' }) @IsString() @IsNotEmpty() @MaxLength(200) expression: string;
  @ApiProperty({ example: 'find the solution to a problem or understand it' }) @IsString() @IsNotEmpty() @MaxLength(1000) definition: string;
  @ApiProperty({ example: 'I will figure it out.' }) @IsString() @IsNotEmpty() @MaxLength(1000) example: string;
  @ApiPropertyOptional({ example: 'intermediate', default: 'intermediate' }) @IsOptional() @IsIn(['beginner', 'intermediate', 'advanced']) difficulty: string =
    'intermediate';
  @ApiPropertyOptional({ example: 'phrasal_verb' }) @IsOptional() @IsIn(['idiom', 'phrasal_verb', 'collocation']) category?: string;
}

export class CreateSlidesDto {
  @ApiProperty({ type: [SlideInputDto], minItems: 1, maxItems: 100 })
  @Type(() => SlideInputDto)
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  expressions: SlideInputDto[];

  @ApiPropertyOptional({ example: 1280, default: 1280, minimum: 320, maximum: 3840 })
  @IsOptional()
  @IsInt()
  @Min(320)
  @Max(3840)
  width: number = 1280;

  @ApiPropertyOptional({ example: 720, default: 720, minimum: 240, maximum: 2160 })
  @IsOptional()
  @IsInt()
  @Min(240)
  @Max(2160)
  height: number = 720;
}
