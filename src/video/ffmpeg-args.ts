// Pure builders of ffmpeg argument lists. Every output segment is encoded with the same parameters, so that
// the learning videos, the long-form video and the shorts are joined by stream copy, without re-encoding.
import { VideoInfo } from '../media/media.types';

export interface OutputFormat {
  width: number;
  height: number;
  fps: number;
  preset: string;
  crf: number;
}

export const SHORT_WIDTH = 1080;
export const SHORT_HEIGHT = 1920;
const AUDIO_RATE = 48000;
const TIMESCALE = '90000';

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
const sec = (ms: number) => (ms / 1000).toFixed(3);

/** The learning videos' frame: the source's aspect, at most `maxHeight` tall, even sides (yuv420p), its frame rate. */
export function outputFormat(info: Pick<VideoInfo, 'width' | 'height' | 'fps'>, maxHeight: number, preset: string, crf: number): OutputFormat {
  const height = even(Math.min(maxHeight, info.height));
  const width = even((height * info.width) / info.height);
  const fps = Math.round(info.fps * 1000) / 1000;
  return { width, height, fps, preset, crf };
}

/** H.264 yuv420p + stereo AAC 48 kHz, fixed profile, level, GOP and timescale: segments that concat by copy. */
export function encodeArgs(f: Pick<OutputFormat, 'fps' | 'preset' | 'crf'>): string[] {
  return [
    '-c:v', 'libx264', '-preset', f.preset, '-crf', String(f.crf), '-profile:v', 'high', '-level:v', '4.1', '-pix_fmt', 'yuv420p',
    '-r', String(f.fps), '-g', String(Math.round(f.fps * 2)), '-video_track_timescale', TIMESCALE,
    '-c:a', 'aac', '-b:a', '128k', '-ar', String(AUDIO_RATE), '-ac', '2', '-movflags', '+faststart',
  ];
}

/** Fits any picture into the frame (letterbox), square pixels, constant frame rate. */
export function fitFilter(f: Pick<OutputFormat, 'width' | 'height' | 'fps'>): string {
  return `scale=${f.width}:${f.height}:force_original_aspect_ratio=decrease,pad=${f.width}:${f.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${f.fps},format=yuv420p`;
}

/** Stereo at 48 kHz; a 5.1 source is downmixed with ffmpeg's standard matrix. */
export const STEREO = `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`;

/** A value for a filter option, quoted so that ':' ',' and '\'' in it are taken literally. */
export function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\''")}'`;
}

export interface DrawText {
  textFile: string;
  fontFile: string;
  x: number;
  y: number;
  size: number;
  color: string;
}

export function drawtext(t: DrawText): string {
  return `drawtext=fontfile=${filterValue(t.fontFile)}:textfile=${filterValue(t.textFile)}:x=${Math.round(t.x)}:y=${Math.round(t.y)}:fontsize=${Math.round(t.size)}:fontcolor=${t.color}`;
}

export interface CutPlan {
  source: string;
  /** The context window in the source. */
  contextStartMs: number;
  contextDurationMs: number;
  /** The expression inside the context window. */
  expressionOffsetMs: number;
  expressionDurationMs: number;
  format: OutputFormat;
  contextOut: string;
  expressionOut: string;
  /** The 9:16 segment for the shorts, with its texts; left out when no shorts are wanted. */
  vertical?: { out: string; texts: DrawText[] };
}

/**
 * One decode of the source window, split into the context clip, the expression clip and (optionally) the
 * vertical shorts segment: each picture is encoded once, for the one output that needs it.
 */
export function cutArgs(p: CutPlan): string[] {
  const n = p.vertical ? 3 : 2;
  const a = sec(p.expressionOffsetMs);
  const b = sec(p.expressionOffsetMs + p.expressionDurationMs);
  const graph = [
    `[0:v]${fitFilter(p.format)},split=${n}[vc][ve0]${p.vertical ? '[vs0]' : ''}`,
    `[ve0]trim=start=${a}:end=${b},setpts=PTS-STARTPTS[ve]`,
    `[0:a]${STEREO},asplit=${n}[ac][ae0]${p.vertical ? '[as]' : ''}`,
    `[ae0]atrim=start=${a}:end=${b},asetpts=PTS-STARTPTS[ae]`,
  ];
  if (p.vertical) {
    const texts = p.vertical.texts.map(drawtext).join(',');
    graph.push(
      `color=c=black:s=${SHORT_WIDTH}x${SHORT_HEIGHT}:r=${p.format.fps}:d=${sec(p.contextDurationMs)}[bg]`,
      `[vs0]scale=${SHORT_WIDTH}:-2,setsar=1[vsc]`,
      `[bg][vsc]overlay=(W-w)/2:(H-h)/2:shortest=1${texts ? `,${texts}` : ''},format=yuv420p[vs]`,
    );
  }
  const args = ['-ss', sec(p.contextStartMs), '-t', sec(p.contextDurationMs), '-i', p.source, '-filter_complex', graph.join(';')];
  const enc = encodeArgs(p.format);
  args.push('-map', '[vc]', '-map', '[ac]', ...enc, p.contextOut);
  args.push('-map', '[ve]', '-map', '[ae]', ...enc, p.expressionOut);
  if (p.vertical) args.push('-map', '[vs]', '-map', '[as]', ...enc, p.vertical.out);
  return args;
}

/** A slide picture: a plain background with its texts drawn on, one frame, PNG. */
export function slideImageArgs(f: Pick<OutputFormat, 'width' | 'height'>, texts: DrawText[], background: string, out: string): string[] {
  const chain = texts.length ? texts.map(drawtext).join(',') : 'null';
  return ['-f', 'lavfi', '-i', `color=c=${background}:s=${f.width}x${f.height}:d=1`, '-frames:v', '1', '-vf', chain, '-update', '1', out];
}

/** The slide as a video segment, the expression's audio under it (then silence), as long as `seconds`. */
export function slideSegmentArgs(slidePng: string, expressionClip: string, seconds: number, f: OutputFormat, out: string): string[] {
  const t = seconds.toFixed(3);
  return [
    '-loop', '1', '-framerate', String(f.fps), '-t', t, '-i', slidePng, '-i', expressionClip,
    '-filter_complex', `[0:v]${fitFilter(f)}[v];[1:a]${STEREO},apad[a]`,
    '-map', '[v]', '-map', '[a]', '-t', t, ...encodeArgs(f), out,
  ];
}

/** The concat demuxer's list file for these paths. */
export function concatList(files: string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\n`).join('');
}

/** Joins segments that share their encoding parameters, by stream copy. */
export function concatArgs(listFile: string, out: string): string[] {
  return ['-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', '-movflags', '+faststart', out];
}
