import { ApiProperty } from '@nestjs/swagger';

export class JobCountsView {
  @ApiProperty({ type: 'integer', example: 0 }) waiting: number;
  @ApiProperty({ type: 'integer', example: 1 }) active: number;
  @ApiProperty({ type: 'integer', example: 0 }) completed: number;
  @ApiProperty({ type: 'integer', example: 2 }) failed: number;
  @ApiProperty({ type: 'integer', example: 0 }) delayed: number;
  @ApiProperty({ type: 'integer', example: 0 }) paused: number;
}

export class QueueView {
  @ApiProperty({ example: 'pipeline.features' }) name: string;
  @ApiProperty() paused: boolean;
  @ApiProperty({ type: JobCountsView }) counts: JobCountsView;
}

export class QueuePausedView {
  @ApiProperty({ example: 'pipeline.features' }) name: string;
  @ApiProperty() paused: boolean;
}

export class RetriedView {
  @ApiProperty({ example: 'pipeline.features' }) name: string;
  @ApiProperty({ type: 'integer', example: 2, description: 'How many failed jobs were retried' }) retried: number;
}
