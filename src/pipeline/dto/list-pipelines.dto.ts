import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum } from 'class-validator';
import { JobStatus } from '../../common/enums';
import { Optional, WholeNumber } from '../../common/http/validation';

/** Query of the recent-jobs lists (pipelines, videos). */
export class ListPipelinesDto {
  @ApiPropertyOptional({ enum: JobStatus, enumName: 'JobStatus', description: 'Only records in this status', example: JobStatus.Success })
  @Optional()
  @IsEnum(JobStatus, { message: `status must be one of: ${Object.values(JobStatus).join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20, description: 'How many, newest first' })
  @Optional()
  @Type(() => Number)
  @WholeNumber('limit', 1, 100)
  limit: number = 20;
}
