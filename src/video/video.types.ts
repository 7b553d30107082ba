import { Expression } from '../analysis/analysis.types';
import { Level } from '../common/enums';
import { LoggedJobData } from '../logging/job-log-context';
import { VideoInfo } from '../media/media.types';
import { OutputKind } from './render-plan';

export interface VideoJobOptions {
  showName: string;
  episodeName: string;
  language: string;
  maxExpressions: number;
  level: Level;
  longForm: boolean;
  shorts: boolean;
  shortsMaxSeconds: number;
}

export interface VideoJobData extends LoggedJobData {
  videoId: string;
  videoPath: string;
  subtitlesPath: string;
  options: VideoJobOptions;
}

export interface OutputFile {
  /** Relative to OUTPUT_ROOT, with forward slashes: what GET /api/v1/files/{path} takes. */
  path: string;
  kind: OutputKind | 'meta';
  size: number;
  durationSec: number | null;
}

export interface VideoResult {
  video: VideoInfo;
  analysisId: string;
  expressions: Expression[];
  files: OutputFile[];
}

export interface ShortMeta {
  file: string;
  durationSec: number;
  expressions: { expression: string; definition: string; sourceStartMs: number; sourceEndMs: number; offsetSec: number; durationSec: number }[];
}
