/** What the project needs to know of a media file; built from ffprobe's output, never ffprobe's JSON itself. */
export interface AudioInfo {
  codec: string;
  channels: number;
  layout: string | null;
  sampleRate: number;
}

export interface VideoInfo {
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  videoCodec: string;
  audio: AudioInfo | null;
  formatName: string;
}

/** Options of one ffmpeg run. */
export interface RunOptions {
  /** Aborted on cancel: the process group is killed at once. */
  signal?: AbortSignal;
  /** Asks ffmpeg to finish ("q" on stdin, then SIGTERM). */
  softTimeLimitMs: number;
  /** Kills ffmpeg's process group. */
  hardTimeLimitMs: number;
  /** Expected output duration, for progress. */
  durationMs?: number;
  onProgress?: (fraction: number) => void;
}
