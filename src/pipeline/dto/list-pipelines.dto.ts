import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JobStatus } from '../../common/enums';

export class ListPipelinesDto {
  @ApiPropertyOptional({ enum: JobStatus, description: 'Only pipelines in this status', example: JobStatus.Success })
  @IsOptional()
  @IsEnum(JobStatus, { message: `status must be one of: ${Object.values(JobStatus).join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20, description: 'How many, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit: number = 20;
}
