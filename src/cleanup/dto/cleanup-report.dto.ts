import { ApiProperty } from '@nestjs/swagger';

export class TallyView {
  @ApiProperty({ type: 'integer', example: 12 }) files: number;
  @ApiProperty({ type: 'integer', example: 104857600 }) bytes: number;
}

export class RemovedView {
  @ApiProperty({ type: TallyView, description: 'Temp folders of jobs (uploads, intermediates)' }) temp: TallyView;
  @ApiProperty({ type: TallyView, description: 'Clips, slides and per-expression videos' }) intermediate: TallyView;
  @ApiProperty({ type: TallyView, description: 'Long-form videos and shorts' }) final: TallyView;
}

export class KeptExampleView {
  @ApiProperty({ example: 'show/e1/en/long/show_e1.mp4' }) path: string;
  @ApiProperty({ example: 'recent' }) reason: string;
}

export class SweepErrorView {
  @ApiProperty({ example: 'show/e1/en/clips/01.mp4' }) path: string;
  @ApiProperty({ example: 'EACCES: permission denied' }) message: string;
}

export class RedisSweepView {
  @ApiProperty({ type: 'integer', example: 3 }) failedJobsRemoved: number;
  @ApiProperty({ type: 'integer', example: 40 }) indexEntriesRemoved: number;
}

export class CleanupReportView {
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) finishedAt: string;
  @ApiProperty({ type: 'integer', example: 35 }) durationMs: number;
  @ApiProperty({ description: 'Nothing was deleted: the report says what would have been' }) dryRun: boolean;
  @ApiProperty({ type: RemovedView }) removed: RemovedView;
  @ApiProperty({ type: 'integer', example: 3 }) emptyDirsRemoved: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { recent: 10, 'job not final': 4 },
    description: 'Files kept, counted by reason',
  })
  kept: Record<string, number>;
  @ApiProperty({ type: [KeptExampleView] }) keptExamples: KeptExampleView[];
  @ApiProperty({ type: [SweepErrorView] }) errors: SweepErrorView[];
  @ApiProperty({ type: 'integer', example: 0 }) errorCount: number;
  @ApiProperty({ type: RedisSweepView }) redis: RedisSweepView;
}
