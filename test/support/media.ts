import { execFileSync } from 'node:child_process';

export interface Probed {
  duration: number;
  streams: {
    codec_type: string;
    codec_name: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    channels?: number;
    sample_rate?: string;
    duration?: string;
  }[];
}

/** What ffprobe says of a file: the tests assert on this, not on file names. */
export function probe(file: string): Probed {
  const out = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]).toString());
  return { duration: Number(out.format.duration), streams: out.streams };
}

export const videoStream = (p: Probed) => p.streams.find((s) => s.codec_type === 'video')!;
export const audioStream = (p: Probed) => p.streams.find((s) => s.codec_type === 'audio')!;

/** ffmpeg processes whose command line mentions `needle` (a job's temp folder). */
export function ffmpegProcessesWith(needle: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'ffmpeg'])
      .toString()
      .split('\n')
      .filter((l) => l.includes(needle));
  } catch {
    return [];
  }
}
