import { ApiProperty } from '@nestjs/swagger';
import { JobStatus } from '../../common/enums';

// Response shapes of the status records every kind of job shares, for the OpenAPI document. The services
// return plain objects of these shapes.

export class StageView {
  @ApiProperty({ type: 'integer', example: 2, minimum: 1, description: 'Position of the stage (or step) in its job, from 1' })
  stage: number;
  @ApiProperty({ example: 'features', description: "The stage's name (see the job's kind for the list)" })
  name: string;
  @ApiProperty({ enum: JobStatus, enumName: 'JobStatus', example: JobStatus.Progress })
  status: JobStatus;
  @ApiProperty({ type: 'integer', example: 70, minimum: 0, maximum: 100 })
  progress: number;
  @ApiProperty({ type: String, nullable: true, example: 'started' })
  message: string | null;
  @ApiProperty({ type: 'integer', example: 1, minimum: 0, description: 'Attempt number; above 1 after a retry' })
  attempt: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-21T10:00:00.120Z' })
  startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  finishedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Last error of this stage' })
  error: string | null;
}

/** What every status record has, whatever its kind. */
export class RecordView {
  @ApiProperty({ format: 'uuid', example: '0b8f6d2e-3c1a-4f57-9a41-2f0d1f9b8c11' })
  id: string;
  @ApiProperty({ enum: ['pipeline', 'video', 'slides'], example: 'pipeline', description: 'The kind of job' })
  kind: string;
  @ApiProperty({ enum: JobStatus, enumName: 'JobStatus', example: JobStatus.Success })
  status: JobStatus;
  @ApiProperty({ type: 'integer', nullable: true, example: 4, description: 'The stage under way (or the last one)' })
  currentStage: number | null;
  @ApiProperty({ type: 'integer', example: 100, minimum: 0, maximum: 100, description: 'Overall progress; never goes backwards' })
  progress: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 12,
    description: 'Seconds left, estimated from the progress so far; null before any progress and once final',
  })
  etaSeconds: number | null;
  @ApiProperty({ type: [StageView] })
  stages: StageView[];
  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.000Z' })
  createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-21T10:00:00.350Z' })
  updatedAt: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the job failed, once FAILURE' })
  error: string | null;
  @ApiProperty({ type: 'integer', example: 9, description: 'How many times the record changed: the id of its latest event' })
  version: number;
}

/** One message of a live status stream (Server-Sent Events, `event: status`). */
export class StatusEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'integer', example: 7, description: "The record's version after this change; the event id a client resumes from (Last-Event-ID)" })
  version: number;
  @ApiProperty({ enum: JobStatus, enumName: 'JobStatus', example: JobStatus.Progress })
  status: JobStatus;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 })
  currentStage: number | null;
  @ApiProperty({ type: 'integer', example: 40, minimum: 0, maximum: 100 })
  progress: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 2, description: 'The stage this change is about' })
  stage: number | null;
  @ApiProperty({ type: String, enum: Object.values(JobStatus), nullable: true, example: JobStatus.Started, description: 'The status of that stage' })
  stageStatus: JobStatus | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 70 })
  stageProgress: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'started' })
  message: string | null;
}
