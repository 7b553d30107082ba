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
  // prettier-ignore
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
  /** The 9:16 segment for the shorts, with its texts and x264 preset; left out when no shorts are wanted. */
  vertical?: { out: string; texts: DrawText[]; preset: string };
}

/**
 * One decode of the source window, encoded into the context clip and (optionally) the vertical shorts
 * segment. The context clip gets keyframes where the expression starts and ends, so that the expression clip
 * is then cut from it by stream copy (expressionClipArgs): each picture is encoded once.
 */
export function cutArgs(p: CutPlan): string[] {
  const a = sec(p.expressionOffsetMs);
  const b = sec(p.expressionOffsetMs + p.expressionDurationMs);
  const graph = p.vertical
    ? [
        `[0:v]split=2[vc0][vs0]`,
        `[vc0]${fitFilter(p.format)}[vc]`,
        // pad is far cheaper than overlaying on a canvas; the texts are drawn on the padding.
        `[vs0]scale=${SHORT_WIDTH}:-2,setsar=1,fps=${p.format.fps},pad=${SHORT_WIDTH}:${SHORT_HEIGHT}:0:(oh-ih)/2:black${p.vertical.texts.map((t) => `,${drawtext(t)}`).join('')},format=yuv420p[vs]`,
        `[0:a]${STEREO},asplit=2[ac][as]`,
      ]
    : [`[0:v]${fitFilter(p.format)}[vc]`, `[0:a]${STEREO}[ac]`];
  const args = ['-ss', sec(p.contextStartMs), '-t', sec(p.contextDurationMs), '-i', p.source, '-filter_complex', graph.join(';')];
  const enc = encodeArgs(p.format);
  // prettier-ignore
  args.push('-map', '[vc]', '-map', '[ac]', ...enc, '-force_key_frames', `${a},${b}`, p.contextOut);
  if (p.vertical) args.push('-map', '[vs]', '-map', '[as]', ...encodeArgs({ ...p.format, preset: p.vertical.preset }), p.vertical.out);
  return args;
}

/**
 * The expression clip out of the context clip: its picture by stream copy (the context clip has keyframes at
 * both ends of it), its sound re-encoded, which is cheap and cuts to the sample.
 */
export function expressionClipArgs(p: CutPlan): string[] {
  // prettier-ignore
  return [
    '-ss', sec(p.expressionOffsetMs), '-t', sec(p.expressionDurationMs), '-i', p.contextOut,
    '-map', '0:v', '-map', '0:a', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-video_track_timescale', TIMESCALE, '-movflags', '+faststart', p.expressionOut,
  ];
}

/**
 * The slide as a video segment of `seconds`: its picture (drawn beforehand, a PNG) decoded once and its frame
 * repeated in memory, with the expression's audio under it (then silence).
 */
export function slideVideoArgs(f: OutputFormat, png: string, expressionClip: string, seconds: number, out: string): string[] {
  const frames = Math.round(seconds * f.fps);
  // prettier-ignore
  return [
    '-i', png, '-i', expressionClip,
    '-filter_complex',
    `[0:v]scale=${f.width}:${f.height},setsar=1,format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${f.fps}*TB)[v];[1:a]${STEREO},apad[a]`,
    '-map', '[v]', '-map', '[a]', '-t', seconds.toFixed(3), ...encodeArgs(f), out,
  ];
}

/** The concat demuxer's list file for these paths. */
export function concatList(files: string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\n`).join('');
}

/** Joins segments that share their encoding parameters, by stream copy. */
export function concatArgs(listFile: string, out: string): string[] {
  // prettier-ignore
  return ['-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', '-movflags', '+faststart', out];
}
