import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Level } from '../../common/enums';
import { ExpressionView } from '../../pipeline/dto/pipeline-view.dto';
import { RecordView } from '../../status/dto/record-view.dto';
import { OUTPUT_KINDS } from '../output-layout';

// Response shapes of video and slide jobs, for the OpenAPI document.

export class AudioInfoView {
  @ApiProperty({ example: 'aac' }) codec: string;
  @ApiProperty({ type: 'integer', example: 6 }) channels: number;
  @ApiProperty({ type: String, nullable: true, example: '5.1' }) layout: string | null;
  @ApiProperty({ type: 'integer', example: 48000 }) sampleRate: number;
}

export class VideoInfoView {
  @ApiProperty({ type: 'integer', example: 30000 }) durationMs: number;
  @ApiProperty({ type: 'integer', example: 854 }) width: number;
  @ApiProperty({ type: 'integer', example: 480 }) height: number;
  @ApiProperty({ type: Number, example: 24 }) fps: number;
  @ApiProperty({ example: 'h264' }) videoCodec: string;
  @ApiProperty({ type: AudioInfoView, nullable: true }) audio: AudioInfoView | null;
  @ApiProperty({ example: 'mov,mp4,m4a,3gp,3g2,mj2' }) formatName: string;
}

export class MediaLinkView {
  @ApiProperty({
    example: '/api/v1/files/big-buck/e01/en/long/big-buck_e01.mp4?access=1765000000.Xf3…',
    description: 'Opens the file without the API key (for <video>, <img>, downloads) until expiresAt; the bare path where no keys are checked',
  })
  url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class OutputFileView {
  @ApiProperty({ example: 'big-buck/e01/en/long/big-buck_e01.mp4', description: 'Relative to the output root: what GET /api/v1/files/{path} takes' })
  path: string;
  @ApiProperty({ enum: [...OUTPUT_KINDS, 'meta'], example: 'long' }) kind: string;
  @ApiProperty({ type: 'integer', example: 1048576, description: 'Bytes' }) size: number;
  @ApiProperty({ type: Number, nullable: true, example: 42.5, description: 'Seconds, for videos' }) durationSec: number | null;
  @ApiPropertyOptional({ description: 'In GET /videos/{id}/files: a link that opens the file without the API key until expiresAt' }) url?: string;
  @ApiPropertyOptional({ format: 'date-time' }) expiresAt?: string;
}

export class VideoResultView {
  @ApiProperty({ type: VideoInfoView }) video: VideoInfoView;
  @ApiProperty({ format: 'uuid', description: 'The analysis pipeline the job ran on its subtitles' }) analysisId: string;
  @ApiProperty({ type: [ExpressionView] }) expressions: ExpressionView[];
  @ApiProperty({ type: [OutputFileView] }) files: OutputFileView[];
}

export class VideoOptionsView {
  @ApiProperty({ example: 'The Bakery' }) showName: string;
  @ApiProperty({ example: 'S01E01' }) episodeName: string;
  @ApiProperty({ example: 'en' }) language: string;
  @ApiProperty({ type: 'integer', example: 10 }) maxExpressions: number;
  @ApiProperty({ enum: Level, enumName: 'Level', example: Level.Mixed }) level: Level;
  @ApiProperty() longForm: boolean;
  @ApiProperty() shorts: boolean;
  @ApiProperty({ type: 'integer', example: 180 }) shortsMaxSeconds: number;
}

/** A video job (its steps: VIDEO_JOB). */
export class VideoJobView extends RecordView {
  @ApiProperty({ type: VideoOptionsView }) options: VideoOptionsView;
  @ApiProperty({ type: VideoResultView, nullable: true, description: 'Set once status is SUCCESS' }) result: VideoResultView | null;
}

export class SlidesOptionsView {
  @ApiProperty({ type: 'integer', example: 1280 }) width: number;
  @ApiProperty({ type: 'integer', example: 720 }) height: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'How many slides' }) count: number;
}

export class SlidesResultView {
  @ApiProperty({ type: [OutputFileView] }) files: OutputFileView[];
}

/** A slides job: one step, render. */
export class SlidesJobView extends RecordView {
  @ApiProperty({ type: SlidesOptionsView }) options: SlidesOptionsView;
  @ApiProperty({ type: SlidesResultView, nullable: true, description: 'Set once status is SUCCESS' }) result: SlidesResultView | null;
}
