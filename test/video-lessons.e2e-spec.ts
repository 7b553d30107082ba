// The learning videos, measured: one job on a generated "flash and beep" episode (test/support/sync-episode.ts),
// then every output is decoded and checked against what the source holds. Sound and picture must stay in sync
// (each white frame on its beep), no gap may open in the sound (the source's hum never stops), the loudness is
// normalised, the texts can be read (OCR), the shorts' video band is tall, the long-form has its chapters, and
// each short's metadata describes the file as it is. Nothing here trusts the renderer's own account of itself.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStatus } from './support/http';
import {
  audioStream,
  beepOnsets,
  colourBand,
  decodeAudio,
  decodeFrame,
  decodeFrames,
  flashTimes,
  frameAt,
  frameStats,
  FrameStats,
  fuzzyContains,
  integratedLufs,
  ocr,
  plainText,
  probe,
  silentRuns,
  videoStream,
} from './support/media';
import { makeSyncEpisode, SyncEpisode } from './support/sync-episode';
import { startTestApp, TestApp, testConfig } from './support/test-app';
import { uploadForm } from './support/upload';

const SHOW = 'Sync Check';
const EPISODE = 'Flash Beep';
/** How far apart sound and picture may be: less than a frame of the episode (40 ms at 25 fps). */
const SYNC_S = 0.025;
/** A silence longer than this is a gap: the hum's own zero crossings last well under a millisecond. */
const GAP_MS = 25;
const LOUDNESS_TARGET = -16;
const ARTIFACTS = join(__dirname, '../test-artifacts/video-lessons');

const dir = mkdtempSync(join(tmpdir(), 'langflix-lessons-test-'));
let t: TestApp;
let episode: SyncEpisode;
let record: any;
let files: any[];

// One app and one job for the whole file: the measurements below all read the same outputs.
beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  episode = makeSyncEpisode(join(dir, 'episode'));
  // A creator's logo: a pure red 2:1 picture, easy to find in the shorts' frames.
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=200x100', '-frames:v', '1', join(dir, 'logo.png')]);
  t = await startTestApp(
    testConfig({
      VIDEO_PRESET: 'ultrafast',
      VIDEO_SHORTS_PRESET: 'ultrafast',
      VIDEO_RETRIES: '0',
      VIDEO_PARALLEL_EXPRESSIONS: '2',
      LOGO_PATH: join(dir, 'logo.png'),
    }),
  );
  const r = await uploadForm(
    `${t.url}/api/v1/videos`,
    { video: episode.video, subtitles: episode.srt },
    { showName: SHOW, episodeName: EPISODE, maxExpressions: String(episode.cues.length), shorts: 'true', longForm: 'true' },
  );
  expect(r.status).toBe(202);
  record = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE', 'REVOKED'], 270_000, 'videos');
  expect(record.error).toBeNull();
  expect(record.status).toBe('SUCCESS');
  files = record.result.files;
}, 300_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const outputPath = (rel: string) => join(t.config.env.OUTPUT_ROOT, rel);
const ofKind = (kind: string): any[] => files.filter((f) => f.kind === kind).sort((a, b) => a.path.localeCompare(b.path));
const learningVideos = () => ofKind('expressions');
const shorts = () => ofKind('shorts');
const longForm = () => ofKind('long')[0];
const metaOf = (short: any) => JSON.parse(readFileSync(outputPath(short.path.replace(/\.mp4$/, '.meta.json')), 'utf8'));
const expressionNamed = (name: string | undefined) => record.result.expressions.find((e: any) => plainText(e.expression) === plainText(name ?? ''));
/** A frame rate given as a number or as ffprobe's fraction ("25/1", "30000/1001"). */
const rate = (v: unknown) => {
  const [n, d = '1'] = String(v).split('/');
  return Number(n) / Number(d);
};
const artifact = (name: string) => join(ARTIFACTS, name.replace(/[^a-zA-Z0-9._-]+/g, '_'));

interface Measured {
  stats: FrameStats[];
  flashes: number[];
  beeps: number[];
  /** Beeps heard over the scene (not over a slide or a title card, where the picture has no flash to show). */
  sceneBeeps: number[];
  silences: { channel: number; start: number; durationMs: number }[];
  videoSec: number;
  audioSec: number;
}

/** Each file is decoded once, whichever test asks first; what was measured is kept under test-artifacts. */
const measured = new Map<string, Measured>();
function measure(rel: string): Measured {
  const known = measured.get(rel);
  if (known) return known;
  const file = outputPath(rel);
  const stats = frameStats(decodeFrames(file), episode.colour);
  const flashes = flashTimes(stats);
  const audio = decodeAudio(file);
  const beeps = beepOnsets(audio);
  // A beep belongs to the scene when the frame on screen as it starts shows the source (its colour, or a flash).
  const onScene = (b: number) => {
    const s = frameAt(stats, b);
    return s !== undefined && (s.colourShare >= 0.9 || flashes.includes(s.time));
  };
  const p = probe(file);
  const m = {
    stats,
    flashes,
    beeps,
    sceneBeeps: beeps.filter(onScene),
    silences: silentRuns(audio, GAP_MS),
    videoSec: Number(videoStream(p).duration),
    audioSec: Number(audioStream(p).duration),
  };
  measured.set(rel, m);
  writeFileSync(artifact(`${rel}.measured.json`), JSON.stringify({ ...m, stats: undefined }, null, 1));
  return m;
}

/** The times of `from` with nothing of `to` within `tolerance` seconds of them. */
const unmatched = (from: number[], to: number[], tolerance = SYNC_S) => from.filter((x) => !to.some((y) => Math.abs(x - y) <= tolerance));

/** What is wrong with a file's sync (and its sound's continuity), in words; empty when nothing is. */
function syncProblems(m: Measured, check: { minFlashes: number; gaps: boolean; durations: boolean }): string[] {
  const out: string[] = [];
  const ms = (x: number) => `${(x * 1000).toFixed(1)} ms`;
  // Context and the expression twice: the event under each expression is seen at least three times.
  if (m.flashes.length < check.minFlashes) out.push(`${m.flashes.length} flashes, expected at least ${check.minFlashes}`);
  for (const f of unmatched(m.flashes, m.beeps)) out.push(`flash at ${f.toFixed(3)} s: no beep within ${ms(SYNC_S)}`);
  for (const b of unmatched(m.sceneBeeps, m.flashes)) out.push(`beep at ${b.toFixed(3)} s over the scene: no flash within ${ms(SYNC_S)}`);
  if (m.sceneBeeps.length !== m.flashes.length) out.push(`${m.flashes.length} flashes but ${m.sceneBeeps.length} beeps over the scene`);
  if (check.gaps) for (const g of m.silences) out.push(`silence of ${g.durationMs.toFixed(1)} ms at ${g.start.toFixed(3)} s (channel ${g.channel})`);
  if (check.durations && Math.abs(m.audioSec - m.videoSec) > SYNC_S) out.push(`audio lasts ${m.audioSec} s, video ${m.videoSec} s`);
  return out;
}

describe('a job on the flash-and-beep episode', () => {
  it('makes the outputs of the contract: one learning video, short, meta and two slides (16:9 and 9:16) per expression, and a long-form', () => {
    const count = record.result.expressions.length;
    expect(count).toBeGreaterThanOrEqual(3);
    for (const kind of ['expressions', 'shorts', 'meta']) expect(ofKind(kind), kind).toHaveLength(count);
    expect(ofKind('slides').filter((f) => f.path.endsWith('.vertical.png'))).toHaveLength(count);
    expect(ofKind('slides')).toHaveLength(2 * count);
    expect(ofKind('long')).toHaveLength(1);
    for (const f of files) expect(f.language, f.path).toBe('en');
    for (const f of learningVideos()) {
      expect(f.path).toMatch(/^sync-check\/flash-beep\/en\/expressions\/\d+_[a-z0-9-]+\.mp4$/);
      const p = probe(outputPath(f.path));
      expect(videoStream(p).codec_name).toBe('h264');
      expect(videoStream(p).width).toBeGreaterThanOrEqual(1280);
      expect(videoStream(p).height).toBeGreaterThanOrEqual(720);
      expect(audioStream(p)).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    }
    for (const f of shorts()) expect(videoStream(probe(outputPath(f.path)))).toMatchObject({ width: 1080, height: 1920 });
    expect(longForm().path).toBe('sync-check/flash-beep/en/long/sync-check_flash-beep.mp4');
  });

  it('keeps sound and picture in sync, with no gap in the sound, in every learning video and short', { timeout: 180_000 }, () => {
    // Every file is measured before anything is asserted, so that a failure lists all that is wrong, file by file.
    const problems = Object.fromEntries(
      [...learningVideos(), ...shorts()].map((f): [string, string[]] => [
        f.path,
        syncProblems(measure(f.path), { minFlashes: 3, gaps: true, durations: true }),
      ]),
    );
    expect(Object.fromEntries(Object.entries(problems).filter(([, p]) => p.length))).toEqual({});
  });

  it('keeps sound and picture in sync all through the long-form (its title cards may be silent)', { timeout: 120_000 }, () => {
    expect(syncProblems(measure(longForm().path), { minFlashes: 3 * learningVideos().length, gaps: false, durations: false })).toEqual([]);
  });

  it('normalises the loudness of every learning video, a short and the long-form to -16 LUFS (EBU R128)', { timeout: 120_000 }, () => {
    for (const f of [...learningVideos(), shorts()[0], longForm()]) {
      const lufs = integratedLufs(outputPath(f.path));
      expect(Math.abs(lufs - LOUDNESS_TARGET), `${f.path}: ${lufs} LUFS`).toBeLessThanOrEqual(1);
    }
  });

  it("a short reads, by OCR: the expression's words under the band in a repeat, the expression on its slide and in its title", { timeout: 120_000 }, () => {
    const short = shorts()[0];
    const file = outputPath(short.path);
    const meta = metaOf(short);
    const said = expressionNamed(meta.expression)?.matched ?? meta.expression;
    const part = (kind: string) => meta.parts.find((p: any) => p.kind === kind);
    const middle = (p: any) => p.offsetSec + p.durationSec / 2;

    const inRepeat = middle(part('repeat'));
    const frame = decodeFrame(file, inRepeat);
    const band = colourBand(frame, episode.colour);
    const below = band.top + band.rows;
    expect(below, 'room under the band for the subtitles').toBeLessThan(1700);
    const subtitles = ocr(file, inRepeat, `${frame.width}:${1750 - below}:0:${below}`, artifact('short-repeat-subtitles.png'));
    expect(fuzzyContains(subtitles, said), `"${said}" in the subtitles, OCR read: ${subtitles}`).toBe(true);

    const slide = ocr(file, middle(part('slide')), `${frame.width}:${frame.height}:0:0`, artifact('short-slide.png'));
    expect(fuzzyContains(slide, meta.expression), `"${meta.expression}" on the slide, OCR read: ${slide}`).toBe(true);

    const top = colourBand(decodeFrame(file, 0.5), episode.colour).top;
    expect(top, 'room above the band for the title').toBeGreaterThan(0);
    const title = ocr(file, 0.5, `${frame.width}:${top}:0:0`, artifact('short-title.png'));
    expect(fuzzyContains(title, meta.expression), `"${meta.expression}" in the title, OCR read: ${title}`).toBe(true);
  });

  it("a learning video reads, by OCR: the expression's words in the subtitles of a repeat", { timeout: 60_000 }, () => {
    const learning = learningVideos()[0];
    const slug = learning.path
      .split('/')
      .pop()
      .replace(/^\d+_/, '')
      .replace(/\.mp4$/, '');
    const expression = record.result.expressions.find((e: any) => plainText(e.expression).replace(/ /g, '-').startsWith(slug));
    expect(expression, `the expression of ${learning.path}`).toBeDefined();
    // The last flash is the event seen in the second repeat; its cue's subtitle is on screen for 1.2 s after it.
    const m = measure(learning.path);
    const at = m.flashes[m.flashes.length - 1] + 0.4;
    expect(frameAt(m.stats, at)!.colourShare, 'the frame OCR reads shows the scene').toBeGreaterThanOrEqual(0.9);
    const p = videoStream(probe(outputPath(learning.path)));
    const third = Math.floor(p.height! / 3);
    const text = ocr(outputPath(learning.path), at, `${p.width}:${third}:0:${p.height! - third}`, artifact('learning-repeat-subtitles.png'));
    expect(fuzzyContains(text, expression.matched), `"${expression.matched}" in the subtitles, OCR read: ${text}`).toBe(true);
  });

  it('shows the scene in each short in a band at least 55 % of the frame tall', { timeout: 60_000 }, () => {
    for (const short of shorts()) {
      const context = metaOf(short).parts.find((p: any) => p.kind === 'context');
      const band = colourBand(decodeFrame(outputPath(short.path), context.offsetSec + context.durationSec / 2), episode.colour);
      expect(band.rows, `${short.path}: band of ${band.rows} rows from row ${band.top}`).toBeGreaterThanOrEqual(0.55 * 1920);
    }
  });

  it("draws the creator's logo (LOGO_PATH) at the top right of every short, over the scene and the slide", () => {
    for (const short of shorts()) {
      for (const part of metaOf(short).parts.filter((p: any) => p.kind !== 'repeat')) {
        const { width, data } = decodeFrame(outputPath(short.path), part.offsetSec + part.durationSec / 2);
        // The logo is 90 px tall, its right edge at the 70 px margin: its centre is red, the frame's top left is not.
        const pixel = (x: number, y: number) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
        const [r, g, b] = pixel(width - 70 - 90, 85);
        expect(r > 200 && g < 60 && b < 60, `${short.path} ${part.kind}: logo pixel ${[r, g, b].join(',')}`).toBe(true);
        expect(pixel(20, 85)[0]).toBeLessThan(150);
      }
    }
  });

  it('gives the long-form one chapter per expression, numbered and titled, in episode order', () => {
    // prettier-ignore
    const chapters: any[] = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', outputPath(longForm().path)]).toString()).chapters;
    const count = learningVideos().length;
    expect(chapters).toHaveLength(count);
    const starts = chapters.map((c) => Number(c.start_time));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(count);
    const sourceTimes = chapters.map((c, i) => {
      const title: string = c.tags?.title ?? '';
      const m = /^(\d+)\/(\d+) · (.+)$/.exec(title);
      expect(m, `chapter ${i + 1}: "${title}"`).not.toBeNull();
      expect([Number(m![1]), Number(m![2])]).toEqual([i + 1, count]);
      const e = expressionNamed(m![3]);
      expect(e, `the expression of chapter "${title}"`).toBeDefined();
      return e.startMs as number;
    });
    expect(sourceTimes).toEqual([...sourceTimes].sort((a, b) => a - b));
  });

  it("describes each short in its meta.json as the file is: the job's names, parts end to end, source times on the events", { timeout: 120_000 }, () => {
    for (const short of shorts()) {
      const meta = metaOf(short);
      const where = short.path;
      for (const key of ['title', 'description', 'expression', 'definition']) {
        expect(typeof meta[key] === 'string' && meta[key].trim(), `${where}: ${key}`).toBeTruthy();
      }
      expect(meta.hashtags.length, `${where}: hashtags`).toBeGreaterThan(0);
      for (const tag of meta.hashtags) expect(tag, where).toMatch(/^#\S+$/);
      expect({ show: meta.show, episode: meta.episode, language: meta.language }).toEqual({ show: SHOW, episode: EPISODE, language: 'en' });
      expect(meta.parts.map((p: any) => p.kind)).toEqual(['context', 'repeat', 'repeat', 'slide']);

      const video = videoStream(probe(outputPath(short.path)));
      const fps = rate(meta.fps);
      const frame = 1 / fps;
      expect(Math.abs(fps - rate(video.r_frame_rate)), `${where}: fps ${meta.fps}, the stream's ${video.r_frame_rate}`).toBeLessThan(0.01);
      const m = measure(short.path);
      expect(meta.frames, `${where}: frames`).toBe(m.stats.length);
      // Exact to a frame: every offset and duration is a whole number of frames (to the millisecond they may be rounded to).
      for (const [i, p] of meta.parts.entries()) {
        for (const key of ['offsetSec', 'durationSec']) {
          const frames = p[key] * fps;
          expect(Math.abs(frames - Math.round(frames)), `${where}: part ${i} ${key} ${p[key]} s is ${frames} frames`).toBeLessThanOrEqual(0.001 * fps);
        }
      }
      expect(Math.abs(meta.durationSec - Number(video.duration)), `${where}: durationSec`).toBeLessThanOrEqual(frame);
      expect(meta.parts[0].offsetSec).toBe(0);
      for (let i = 1; i < meta.parts.length; i++) {
        const prev = meta.parts[i - 1];
        expect(Math.abs(meta.parts[i].offsetSec - (prev.offsetSec + prev.durationSec)), `${where}: part ${i} offset`).toBeLessThanOrEqual(0.001);
      }
      const total = meta.parts.reduce((s: number, p: any) => s + p.durationSec, 0);
      expect(Math.abs(total - Number(video.duration)), `${where}: parts add up to ${total} s, the video lasts ${video.duration} s`).toBeLessThanOrEqual(frame);

      // Each flash seen in a part of the scene, taken back to the source through the part's times, is an event.
      for (const p of meta.parts.filter((q: any) => q.kind !== 'slide')) {
        expect(p.sourceEndMs, `${where}: ${p.kind} source times`).toBeGreaterThan(p.sourceStartMs);
        const seen = m.flashes.filter((f) => f >= p.offsetSec && f < p.offsetSec + p.durationSec);
        expect(seen.length, `${where}: flashes in the ${p.kind} at ${p.offsetSec} s`).toBeGreaterThan(0);
        const inSource = seen.map((f) => p.sourceStartMs / 1000 + (f - p.offsetSec));
        expect(unmatched(inSource, episode.events, frame + 0.001), `${where}: flashes of the ${p.kind}, in source time`).toEqual([]);
      }
    }
  });
});
