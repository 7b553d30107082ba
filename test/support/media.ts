import { execFileSync, spawnSync } from 'node:child_process';

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
    r_frame_rate?: string;
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

// ---- Measuring rendered media: pictures, sound, loudness, text. Used by the video-lessons test. ----

/** A video decoded small, frame by frame: packed RGB24, with the presentation time of each frame. */
export interface Frames {
  width: number;
  height: number;
  times: number[];
  data: Buffer;
}

/**
 * Every frame of the first video stream, scaled down to `width` columns (area averaging, so a flat picture stays
 * flat). No frame is dropped or duplicated (-fps_mode passthrough); each one's time is what showinfo reports, on
 * the same time line as decodeAudio's samples (both relative to the file's start time).
 */
export function decodeFrames(file: string, width = 64): Frames {
  const v = videoStream(probe(file));
  const height = 2 * Math.round((width * v.height!) / v.width! / 2);
  // prettier-ignore
  const res = spawnSync('ffmpeg', [
    '-hide_banner', '-nostats', '-i', file, '-map', '0:v:0', '-vf', `scale=${width}:${height}:flags=area,showinfo`,
    '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ], { maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${res.stderr.toString().slice(-500)}`);
  const times = [...res.stderr.toString().matchAll(/Parsed_showinfo.*\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[\d.e+-]+)/g)].map((m) => Number(m[1]));
  if (times.length * width * height * 3 !== res.stdout.length) throw new Error(`${file}: ${times.length} frame times for ${res.stdout.length} bytes of frames`);
  return { width, height, times, data: res.stdout };
}

/** Per frame, over a centre block (columns 25-75 %, rows 45-55 %: inside the picture in every layout, clear of subtitles and titles). */
export interface FrameStats {
  time: number;
  /** Mean luma (BT.601, 0-255) of the block. */
  luma: number;
  /** Share of the block's pixels within `tolerance` (each channel) of the reference colour. */
  colourShare: number;
}

export function frameStats(frames: Frames, colour: readonly number[], tolerance = 40): FrameStats[] {
  const { width, height, data } = frames;
  const [x0, x1, y0, y1] = [Math.floor(width * 0.25), Math.ceil(width * 0.75), Math.floor(height * 0.45), Math.ceil(height * 0.55)];
  return frames.times.map((time, n) => {
    let luma = 0;
    let matching = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = ((n * height + y) * width + x) * 3;
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        luma += 0.299 * r + 0.587 * g + 0.114 * b;
        if (Math.abs(r - colour[0]) <= tolerance && Math.abs(g - colour[1]) <= tolerance && Math.abs(b - colour[2]) <= tolerance) matching++;
      }
    }
    const pixels = (x1 - x0) * (y1 - y0);
    return { time, luma: luma / pixels, colourShare: matching / pixels };
  });
}

const WHITE_LUMA = 200;
const isWhite = (s: FrameStats | undefined) => s !== undefined && s.luma >= WHITE_LUMA;

/**
 * The times of the flashes: a white frame (or two, should a frame-rate change double one) between frames that
 * are not white. Static white pictures (a light slide, a title card) last longer and are not flashes.
 */
export function flashTimes(stats: FrameStats[]): number[] {
  const out: number[] = [];
  for (let n = 0; n < stats.length; n++) {
    if (!isWhite(stats[n]) || isWhite(stats[n - 1])) continue;
    let end = n;
    while (isWhite(stats[end + 1])) end++;
    if (end - n < 2 && n > 0 && end < stats.length - 1) out.push(stats[n].time);
  }
  return out;
}

/** The frame on screen at time `t`: the last one that starts at or before it. */
export function frameAt(stats: FrameStats[], t: number): FrameStats | undefined {
  let lo = 0;
  let hi = stats.length - 1;
  if (hi < 0 || stats[0].time > t) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (stats[mid].time <= t) lo = mid;
    else hi = mid - 1;
  }
  return stats[lo];
}

/** Decoded sound: each channel as float samples, and the time of sample 0 relative to the file's start. */
export interface Audio {
  sampleRate: number;
  start: number;
  channels: Float32Array[];
}

/** The first audio stream decoded at its own rate, every channel kept (a gap in one channel is a gap). */
export function decodeAudio(file: string): Audio {
  const out = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-select_streams', 'a:0', '-of', 'json', file]).toString());
  const a = out.streams[0];
  const sampleRate = Number(a.sample_rate);
  const count = Number(a.channels);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a:0', '-f', 'f32le', '-acodec', 'pcm_f32le', '-'], { maxBuffer: 1 << 30 });
  // A copy, so that the floats are aligned whatever the Buffer's offset in its pool.
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
  const frames = all.length / count;
  const channels = Array.from({ length: count }, (_, c) => {
    const ch = new Float32Array(frames);
    for (let i = 0; i < frames; i++) ch[i] = all[i * count + c];
    return ch;
  });
  const start = Number(a.start_time ?? 0) - Number(out.format.start_time ?? 0);
  return { sampleRate, start, channels };
}

/** The louder channel's absolute value, sample by sample. */
function envelope(audio: Audio): Float32Array {
  const [first, ...rest] = audio.channels;
  const out = Float32Array.from(first, Math.abs);
  for (const ch of rest) for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i], Math.abs(ch[i]));
  return out;
}

/** Peaks of consecutive windows of `ms` milliseconds. */
function windowPeaks(env: Float32Array, sampleRate: number, ms: number): number[] {
  const size = Math.max(1, Math.round((sampleRate * ms) / 1000));
  const peaks: number[] = [];
  for (let i = 0; i + size <= env.length; i += size) {
    let p = 0;
    for (let j = i; j < i + size; j++) p = Math.max(p, env[j]);
    peaks.push(p);
  }
  return peaks;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The level of the hum: the median peak of 10 ms windows. A window of the 220 Hz hum holds at least one of its
 * peaks, and the beeps are a few percent of any output, so the median is the hum's peak whatever gain was applied.
 */
export function humLevel(audio: Audio): number {
  return median(windowPeaks(envelope(audio), audio.sampleRate, 10));
}

/**
 * Times where a beep starts: the first sample above twice the hum's peak (the beep is 24 dB over the hum in the
 * source; even a limiter that pulls the beep down after a loudness gain leaves it well above that), with a run
 * above the threshold ending only after 50 ms below it, so one beep counts once.
 */
export function beepOnsets(audio: Audio, factor = 2): number[] {
  const env = envelope(audio);
  const threshold = factor * humLevel(audio);
  const quiet = Math.round(audio.sampleRate * 0.05);
  const out: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < env.length; i++) {
    if (env[i] <= threshold) continue;
    if (i - last > quiet) out.push(audio.start + i / audio.sampleRate);
    last = i;
  }
  return out;
}

/** Runs longer than `minMs` in which some channel stays below a quarter of the hum's peak: silences the source never had. */
export function silentRuns(audio: Audio, minMs = 25, fraction = 0.25): { channel: number; start: number; durationMs: number }[] {
  const threshold = fraction * humLevel(audio);
  const min = (audio.sampleRate * minMs) / 1000;
  const out: { channel: number; start: number; durationMs: number }[] = [];
  audio.channels.forEach((ch, channel) => {
    let from = -1;
    for (let i = 0; i <= ch.length; i++) {
      if (i < ch.length && Math.abs(ch[i]) < threshold) {
        if (from < 0) from = i;
      } else if (from >= 0) {
        if (i - from > min) out.push({ channel, start: audio.start + from / audio.sampleRate, durationMs: ((i - from) * 1000) / audio.sampleRate });
        from = -1;
      }
    }
  });
  return out.sort((a, b) => a.start - b.start);
}

/** The integrated loudness (LUFS) of the first audio stream, from ffmpeg's EBU R128 meter. */
export function integratedLufs(file: string): number {
  const res = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], {
    maxBuffer: 1 << 26,
  });
  const summary = res.stderr.toString().split('Summary:').pop() ?? '';
  const m = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary);
  if (res.status !== 0 || !m) throw new Error(`no loudness summary for ${file}: ${res.stderr.toString().slice(-500)}`);
  return Number(m[1] === '-inf' ? -Infinity : m[1]);
}

/** One frame at full size, RGB24. */
export function decodeFrame(file: string, t: number): { width: number; height: number; data: Buffer } {
  const v = videoStream(probe(file));
  // prettier-ignore
  const data = execFileSync('ffmpeg', ['-v', 'error', '-ss', t.toFixed(3), '-i', file, '-map', '0:v:0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  if (data.length !== v.width! * v.height! * 3) throw new Error(`${file}: no frame at ${t} s`);
  return { width: v.width!, height: v.height!, data };
}

/** The longest run of rows whose centre (columns 45-55 %) has the colour, within `tolerance` on each channel. */
export function colourBand(frame: { width: number; height: number; data: Buffer }, colour: readonly number[], tolerance = 40): { top: number; rows: number } {
  const { width, height, data } = frame;
  const [x0, x1] = [Math.floor(width * 0.45), Math.ceil(width * 0.55)];
  let best = { top: 0, rows: 0 };
  let top = -1;
  for (let y = 0; y <= height; y++) {
    let match = y < height;
    for (let x = x0; match && x < x1; x++) {
      const i = (y * width + x) * 3;
      match = [0, 1, 2].every((c) => Math.abs(data[i + c] - colour[c]) <= tolerance);
    }
    if (match && top < 0) top = y;
    if (!match && top >= 0) {
      if (y - top > best.rows) best = { top, rows: y - top };
      top = -1;
    }
  }
  return best;
}

/**
 * The text tesseract reads in a region of the frame at `t` (crop as w:h:x:y, ffmpeg's crop syntax), from the
 * region in grey scaled up `scale` times (tesseract reads best with letters 30-50 px high). The picture is kept
 * at `png`, so that a failure can be looked at.
 */
export function ocr(file: string, t: number, crop: string, png: string, scale = 1): string {
  // prettier-ignore
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', t.toFixed(3), '-i', file, '-map', '0:v:0', '-frames:v', '1', '-vf', `crop=${crop},scale=iw*${scale}:ih*${scale}:flags=lanczos,format=gray`, png]);
  // Two page-segmentation modes: automatic (a subtitle box on a plain picture) and sparse text (a title among
  // drawings); what either reads counts.
  return ['3', '11'].map((psm) => execFileSync('tesseract', [png, 'stdout', '--psm', psm], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).join('\n');
}

/** Lower-case letters and single spaces only, so that OCR's and the expression's punctuation do not matter. */
export const plainText = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/**
 * Whether `phrase` occurs in `text` with at most `rate` of its letters wrong (edit distance, the match starting
 * and ending anywhere in the text), after plainText on both.
 */
export function fuzzyContains(text: string, phrase: string, rate = 0.2): boolean {
  const [t, p] = [plainText(text), plainText(phrase)];
  if (!p) return true;
  // Sellers' algorithm: edit distance of p against every substring of t, one column of the table per letter of t.
  let prev = Array.from({ length: p.length + 1 }, (_, i) => i);
  let best = prev[p.length];
  for (const ch of t) {
    const cur = [0];
    for (let i = 1; i <= p.length; i++) cur.push(Math.min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (p[i - 1] === ch ? 0 : 1)));
    best = Math.min(best, cur[p.length]);
    prev = cur;
  }
  return best <= Math.floor(p.length * rate);
}
