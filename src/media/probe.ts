import { ErrorCode, PipelineError } from '../common/errors';
import { VideoInfo } from './media.types';

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  disposition?: { attached_pic?: number };
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string; format_name?: string };
}

const rate = (r?: string): number => {
  const [n, d] = (r ?? '0/0').split('/').map(Number);
  return d ? n / d : 0;
};

/** Turns `ffprobe -show_format -show_streams -of json` into a VideoInfo; refuses files with no video stream. */
export function parseProbe(json: string): VideoInfo {
  let out: ProbeOutput;
  try {
    out = JSON.parse(json) as ProbeOutput;
  } catch {
    throw new PipelineError(ErrorCode.InvalidMedia, 'ffprobe gave no readable answer');
  }
  const streams = out.streams ?? [];
  // Cover art is a video stream too; it is not a video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video || !video.width || !video.height) throw new PipelineError(ErrorCode.InvalidMedia, 'it has no video stream');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const seconds = Number(out.format?.duration ?? video.duration ?? NaN);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new PipelineError(ErrorCode.InvalidMedia, 'its duration cannot be read (truncated or corrupt?)');
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate);
  return {
    durationMs: Math.round(seconds * 1000),
    width: video.width,
    height: video.height,
    fps: fps > 0 && fps < 240 ? fps : 25,
    videoCodec: video.codec_name ?? 'unknown',
    audio: audio
      ? {
          codec: audio.codec_name ?? 'unknown',
          channels: audio.channels ?? 0,
          layout: audio.channel_layout ?? null,
          sampleRate: Number(audio.sample_rate ?? 0),
        }
      : null,
    formatName: out.format?.format_name ?? 'unknown',
  };
}
