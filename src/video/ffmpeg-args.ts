// Pure builders of ffmpeg argument lists, and the frame and sample arithmetic they share. Pictures are encoded
// once, into video-only segments cut at exact frames; every output is those segments joined by stream copy
// plus one continuous audio track built from sample-exact slices of the scenes' sound. So joins have no gap
// and sound and picture stay in sync to the sample, whatever the number of parts.
import { VideoInfo } from '../media/media.types';

/** A frame rate as a fraction (30000/1001 stays exact). */
export interface FrameRate {
  num: number;
  den: number;
}

export interface OutputFormat {
  width: number;
  height: number;
  rate: FrameRate;
  preset: string;
  crf: number;
}

export const SHORT_WIDTH = 1080;
export const SHORT_HEIGHT = 1920;
export const AUDIO_RATE = 48000;
/** The smallest frame of the horizontal lessons: slides and subtitles stay legible whatever the source. */
export const MIN_OUTPUT_HEIGHT = 720;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
const sec = (ms: number) => (ms / 1000).toFixed(3);

/** The source's rate, the NTSC ones kept as their exact fractions, the others rounded to whole frames. */
export function frameRateOf(fps: number): FrameRate {
  for (const base of [24, 30, 60]) if (Math.abs(fps - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001 };
  return { num: Math.min(120, Math.max(1, Math.round(fps))), den: 1 };
}

export const rateText = (r: FrameRate) => (r.den === 1 ? String(r.num) : `${r.num}/${r.den}`);
/** The frame nearest to a time. */
export const frameAt = (ms: number, r: FrameRate) => Math.round((ms * r.num) / (1000 * r.den));
export const msOfFrames = (frames: number, r: FrameRate) => (frames * 1000 * r.den) / r.num;
/** Audio samples from the start to frame `frames`: slices taken this way add up exactly. */
export const samplesAt = (frames: number, r: FrameRate) => Math.round((frames * AUDIO_RATE * r.den) / r.num);
/** An MP4 timescale in which every frame lasts a whole number of ticks. */
export const timescaleOf = (r: FrameRate) => (r.den === 1 ? (90000 % r.num === 0 ? 90000 : r.num * 1000) : r.num);

/**
 * The horizontal lessons' frame: 16:9, the source's height kept between 720 and `maxHeight` (a smaller source
 * is scaled up so that slides and subtitles stay sharp), its frame rate.
 */
export function outputFormat(info: Pick<VideoInfo, 'height' | 'fps'>, maxHeight: number, preset: string, crf: number): OutputFormat {
  const height = even(Math.max(MIN_OUTPUT_HEIGHT, Math.min(maxHeight, info.height)));
  return { width: even((height * 16) / 9), height, rate: frameRateOf(info.fps), preset, crf };
}

/** H.264 yuv420p, fixed profile, level, GOP and timescale: segments that join by stream copy. No sound. */
export function videoEncodeArgs(f: Pick<OutputFormat, 'rate' | 'preset' | 'crf'>): string[] {
  // prettier-ignore
  return [
    '-an', '-c:v', 'libx264', '-preset', f.preset, '-crf', String(f.crf), '-profile:v', 'high', '-level:v', '4.2', '-pix_fmt', 'yuv420p',
    '-r', rateText(f.rate), '-g', String(Math.round((2 * f.rate.num) / f.rate.den)), '-bf', '0',
  ];
}

/** Fits any picture into the frame (letterbox), square pixels. */
export function fitFilter(f: Pick<OutputFormat, 'width' | 'height'>): string {
  return `scale=${f.width}:${f.height}:force_original_aspect_ratio=decrease,pad=${f.width}:${f.height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
}

/** Fills a square band of `size` from the middle of any picture (centre crop), square pixels. */
export function bandFilter(size: number): string {
  return `scale=${size}:${size}:force_original_aspect_ratio=increase,crop=${size}:${size},setsar=1`;
}

/** Stereo at 48 kHz; a 5.1 source is downmixed with ffmpeg's standard matrix. */
export const STEREO = `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`;

/** A value for a filter option, quoted so that ':' ',' and '\'' in it are taken literally. */
export function filterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\''")}'`;
}

/** Burns an ASS file in with libass, fonts looked up in `fontsDir` first. */
export const subtitlesFilter = (ass: string, fontsDir: string) => `subtitles=filename=${filterValue(ass)}:fontsdir=${filterValue(fontsDir)}`;

/** A video-only encode split into files at the given frames (keyframes forced there): `pattern` holds %03d. */
export interface SegmentedOutput {
  pattern: string;
  /** Frames where a new file starts, increasing, none at 0. */
  cuts: number[];
}

function segmentedOutputArgs(label: string, f: Pick<OutputFormat, 'rate' | 'preset' | 'crf'>, o: SegmentedOutput): string[] {
  const keys = o.cuts.length ? ['-force_key_frames', `expr:${o.cuts.map((n) => `eq(n,${n})`).join('+')}`] : [];
  const split = o.cuts.length ? ['-segment_frames', o.cuts.join(',')] : ['-segment_time', '100000'];
  // prettier-ignore
  return [
    '-map', `[${label}]`, ...videoEncodeArgs(f), ...keys,
    '-f', 'segment', ...split, '-reset_timestamps', '1', '-segment_format', 'mp4',
    '-segment_format_options', `video_track_timescale=${timescaleOf(f.rate)}`, o.pattern,
  ];
}

export interface SceneEncode {
  source: string;
  startMs: number;
  frames: number;
  format: OutputFormat;
  fontsDir: string;
  /** The scene's sound: stereo 48 kHz PCM, exactly as long as its frames. */
  wav: string;
  /** The horizontal scene, one per output language, with its subtitles. */
  horizontal: (SegmentedOutput & { ass: string })[];
  /**
   * The shorts' 9:16 scenes: frames [from, to) of the scene, the picture centre-cropped into a band at
   * `bandTop`, subtitles, and a transparent PNG (title, counter, logo) over the whole frame.
   */
  vertical: (SegmentedOutput & {
    ass: string;
    overlay: string;
    from: number;
    to: number;
    bandTop: number;
    bandSize: number;
    background: string;
    preset: string;
  })[];
}

/**
 * One decode of a scene, encoded into every picture the lessons need of it: per language the horizontal
 * scene, per short the vertical one, each cut into files where the expressions start and end. The sound
 * goes to a WAV of exactly the scene's frames.
 */
export function sceneArgs(s: SceneEncode): string[] {
  const rate = rateText(s.format.rate);
  const n = s.horizontal.length + s.vertical.length;
  const graph = [
    // Constant rate and exactly `frames` frames (a scene at the end of a video is padded with its last frame).
    `[0:v]fps=${rate},tpad=stop_mode=clone:stop_duration=2,trim=end_frame=${s.frames},setpts=N/(${rate})/TB,split=${n}${Array.from({ length: n }, (_, i) => `[v${i}]`).join('')}`,
    ...s.horizontal.map((h, i) => `[v${i}]${fitFilter(s.format)},${subtitlesFilter(h.ass, s.fontsDir)},format=yuv420p[h${i}]`),
    ...s.vertical.map((v, i) => {
      const k = s.horizontal.length + i;
      return (
        `[v${k}]trim=start_frame=${v.from}:end_frame=${v.to},setpts=PTS-STARTPTS,${bandFilter(v.bandSize)},` +
        `pad=${SHORT_WIDTH}:${SHORT_HEIGHT}:(ow-iw)/2:${v.bandTop}:color=${v.background},${subtitlesFilter(v.ass, s.fontsDir)}[p${i}];` +
        `[p${i}][${i + 1}:v]overlay=0:0:eof_action=repeat,format=yuv420p[s${i}]`
      );
    }),
    `[0:a]${STEREO},apad,atrim=end_sample=${samplesAt(s.frames, s.format.rate)}[a]`,
  ];
  // prettier-ignore
  const args = [
    '-ss', sec(s.startMs), '-t', sec(msOfFrames(s.frames, s.format.rate) + 1000), '-i', s.source,
    ...s.vertical.flatMap((v) => ['-i', v.overlay]),
    '-filter_complex', graph.join(';'),
  ];
  s.horizontal.forEach((h, i) => args.push(...segmentedOutputArgs(`h${i}`, s.format, h)));
  s.vertical.forEach((v, i) => args.push(...segmentedOutputArgs(`s${i}`, { ...s.format, preset: v.preset }, v)));
  args.push('-map', '[a]', '-c:a', 'pcm_s16le', s.wav);
  return args;
}

/**
 * A still picture as `frames` frames of video (a slide, a title card), ready to join the scenes' segments:
 * the picture decoded once and its frame repeated in memory.
 */
export function stillArgs(png: string, frames: number, f: Pick<OutputFormat, 'rate' | 'preset' | 'crf'>, out: string): string[] {
  const rate = rateText(f.rate);
  // prettier-ignore
  return [
    '-i', png, '-vf', `format=yuv420p,loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${rate})/TB`, '-frames:v', String(frames),
    ...videoEncodeArgs({ ...f, preset: 'ultrafast' }), '-tune', 'stillimage', '-video_track_timescale', String(timescaleOf(f.rate)), out,
  ];
}

/** A slice of a WAV in samples, or silence. */
export type AudioPiece = { wav: string; from: number; to: number } | { silence: number };

/** Joins audio pieces into one WAV, sample-exact (each slice cut by sample number, silence generated). */
export function audioJoinArgs(pieces: AudioPiece[], out: string): string[] {
  const inputs = [...new Set(pieces.flatMap((p) => ('wav' in p ? [p.wav] : [])))];
  const graph = pieces.map((p, i) =>
    'wav' in p
      ? `[${inputs.indexOf(p.wav)}:a]atrim=start_sample=${p.from}:end_sample=${p.to},asetpts=N/SR/TB[p${i}]`
      : `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end_sample=${p.silence},aformat=sample_fmts=fltp[p${i}]`,
  );
  graph.push(`${pieces.map((_, i) => `[p${i}]`).join('')}concat=n=${pieces.length}:v=0:a=1[a]`);
  // prettier-ignore
  return [...inputs.flatMap((w) => ['-i', w]), '-filter_complex', graph.join(';'), '-map', '[a]', '-c:a', 'pcm_s16le', '-ar', String(AUDIO_RATE), '-ac', '2', out];
}

/** A WAV through an audio filter (the loudness gain), to a WAV. */
export function audioFilterArgs(input: string, filter: string, out: string): string[] {
  return ['-i', input, '-af', filter, '-c:a', 'pcm_s16le', '-ar', String(AUDIO_RATE), out];
}

/**
 * An output: video segments joined by stream copy (the concat demuxer's list) and its audio track, already
 * at its loudness, encoded once; chapters from an ffmetadata file when given.
 */
export function muxArgs(videoList: string, audioWav: string, out: string, chapters?: string): string[] {
  // prettier-ignore
  return [
    '-f', 'concat', '-safe', '0', '-i', videoList, '-i', audioWav, ...(chapters ? ['-i', chapters] : []),
    '-map', '0:v', '-map', '1:a', ...(chapters ? ['-map_chapters', '2'] : []),
    '-c:v', 'copy', '-c:a', 'aac', '-b:a', '160k', '-ar', String(AUDIO_RATE), '-ac', '2',
    '-movflags', '+faststart', out,
  ];
}

/** The concat demuxer's list file for these paths. */
export function concatList(files: string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\n`).join('');
}

/** An ffmetadata file with one chapter per title, times in milliseconds. */
export function chaptersFile(chapters: { startMs: number; endMs: number; title: string }[]): string {
  const escape = (s: string) => s.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
  return [
    ';FFMETADATA1',
    ...chapters.map((c) => `[CHAPTER]\nTIMEBASE=1/1000\nSTART=${Math.round(c.startMs)}\nEND=${Math.round(c.endMs)}\ntitle=${escape(c.title)}`),
    '',
  ].join('\n');
}
