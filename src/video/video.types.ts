import { Expression, Translation } from '../analysis/analysis.types';
import { Level } from '../common/enums';
import { VideoInfo } from '../media/media.types';
import { OutputKind } from './output-layout';

export type ShortsMode = 'single' | 'batched';

export interface VideoJobOptions {
  showName: string;
  episodeName: string;
  language: string;
  maxExpressions: number;
  level: Level;
  longForm: boolean;
  shorts: boolean;
  shortsMaxSeconds: number;
  /** "single": one short per expression (the default); "batched": several expressions per short, up to shortsMaxSeconds. */
  shortsMode?: ShortsMode;
  /** Stop after the analysis (status REVIEW) until the reviewed list is sent to POST /api/v1/videos/{id}/render. */
  review?: boolean;
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

/** One part of a short, exact to the frame: where it starts in the short and what of the episode it shows. */
export interface ShortPart {
  kind: 'context' | 'repeat' | 'slide';
  expression: string;
  offsetSec: number;
  durationSec: number;
  frames: number;
  /** The stretch of the episode shown (context and replays). */
  sourceStartMs?: number;
  sourceEndMs?: number;
}

/** A lesson of a short, for its upload: what it teaches and where in the episode it comes from. */
export interface ShortLesson {
  number: number;
  total: number;
  expression: string;
  definition: string;
  example: string;
  /** In the short's language, when the job has target languages. */
  translation?: Translation;
  /** Where the scene and the expression are in the episode, in ms, as cut (on the frame grid). */
  sceneStartMs: number;
  sceneEndMs: number;
  expressionStartMs: number;
  expressionEndMs: number;
}

/** The `.meta.json` beside each short: ready to fill a YouTube Shorts or TikTok upload form. */
export interface ShortMeta {
  file: string;
  title: string;
  description: string;
  hashtags: string[];
  show: string;
  episode: string;
  /** The short's output language (its folder), and every language on screen (English and the translation). */
  language: string;
  languages: string[];
  expression: string;
  definition: string;
  translation?: Translation;
  translations?: Record<string, Translation>;
  fps: string;
  frames: number;
  durationSec: number;
  lessons: ShortLesson[];
  parts: ShortPart[];
}
