import { Expression, Translation } from '../analysis/analysis.types';
import { Level } from '../common/enums';
import { VideoInfo } from '../media/media.types';
import { OutputKind } from './output-layout';

export interface VideoJobOptions {
  showName: string;
  episodeName: string;
  language: string;
  maxExpressions: number;
  level: Level;
  longForm: boolean;
  shorts: boolean;
  shortsMaxSeconds: number;
  /** The learners' languages (BCP 47): an output folder and slides each; none: English only (en/). */
  targetLanguages: string[];
}

/** A video job's input: its two files (in its upload folder, or under MEDIA_ROOT). */
export interface VideoInput {
  videoPath: string;
  subtitlesPath: string;
}

export interface OutputFile {
  /** Relative to OUTPUT_ROOT, with forward slashes: what GET /api/v1/files/{path} takes. */
  path: string;
  /** The output language it belongs to (its folder); null for a slides job's pictures. */
  language: string | null;
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
  expressions: {
    expression: string;
    definition: string;
    /** In the short's language, when the job has target languages. */
    translation?: Translation;
    sourceStartMs: number;
    sourceEndMs: number;
    offsetSec: number;
    durationSec: number;
  }[];
}
