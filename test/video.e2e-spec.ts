import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, readEvents, waitForStatus as waitForRecord } from './support/http';
import { BBB_CLIP } from './support/fixtures';
import { audioStream, ffmpegProcessesWith, probe, videoStream } from './support/media';
import { uploadForm } from './support/upload';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeEpisode } = require('../scripts/make-episode.js');

const BBB = BBB_CLIP;
const FRAME = 1 / 24;
const dir = mkdtempSync(join(tmpdir(), 'langflix-video-test-'));
const roots = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };
const BBB_SRT = join(dir, 'bbb.srt');
writeFileSync(
  BBB_SRT,
  [
    '1\n00:00:01,000 --> 00:00:04,000\n<i>The rabbit woke up and figured it out.</i>\n',
    '2\n00:00:10,000 --> 00:00:13,000\nThen the birds broke the ice with a song.\n',
    '3\n00:00:20,000 --> 00:00:24,000\nOut of the blue, a butterfly came along.\n',
  ].join('\n'),
);

let t: TestApp;
let episode: { video: string; srt: string };
beforeAll(async () => {
  Object.values(roots).forEach((d) => mkdirSync(d, { recursive: true }));
  episode = makeEpisode(join(dir, 'episode'), 24, 4);
  t = await startTestApp(testConfig({ ...roots, VIDEO_PRESET: 'ultrafast', VIDEO_RETRIES: '0', VIDEO_PARALLEL_EXPRESSIONS: '2' }));
}, 120_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitForStatus = (base: string, id: string, statuses: string[], timeoutMs = 60_000) => waitForRecord(base, id, statuses, timeoutMs, 'videos');
const upload = (files: Record<string, string>, fields: Record<string, string> = {}) => uploadForm(`${t.url}/api/v1/videos`, files, fields);
const outputPath = (rel: string) => join(roots.OUTPUT_ROOT, rel);

describe('an episode in, learning videos out (Big Buck Bunny: 854x480, 5.1 audio)', () => {
  let record: any;
  beforeAll(async () => {
    const r = await upload({ video: BBB, subtitles: BBB_SRT }, { showName: 'Big Buck', episodeName: 'E01', maxExpressions: '3', shortsMaxSeconds: '10' });
    expect(r.status).toBe(202);
    record = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE', 'REVOKED'], 120_000);
  }, 150_000);

  it('succeeds with every step done and progress at 100', () => {
    expect(record.error).toBeNull();
    expect(record.status).toBe('SUCCESS');
    // prettier-ignore
    expect(record.stages.map((s: any) => [s.name, s.status])).toEqual(
      ['probe', 'analysis', 'clips', 'slides', 'assembly', 'long-form', 'shorts'].map((n) => [n, 'SUCCESS']),
    );
    expect(record.progress).toBe(100);
    expect(record.result.video).toMatchObject({ width: 854, height: 480, audio: { channels: 6, layout: '5.1' } });
    expect(Math.abs(record.result.video.durationMs - 30000)).toBeLessThan(100);
  });

  it('writes every kind of output under OUTPUT_ROOT/{show}/{episode}/{language}', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body;
    const kinds = new Set(files.map((f: any) => f.kind));
    // prettier-ignore
    expect(kinds).toEqual(new Set(['slides', 'expressions', 'long', 'shorts', 'meta']));
    for (const f of files) {
      expect(f.path.startsWith('big-buck/e01/en/')).toBe(true);
      expect(existsSync(outputPath(f.path))).toBe(true);
    }
    expect(files.filter((f: any) => f.kind === 'expressions')).toHaveLength(3);
  });

  it('learning videos are H.264 yuv420p at 1280x720 (the 480p source scaled up) with stereo AAC, sound and picture equally long', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    for (const learning of files.filter((f) => f.kind === 'expressions')) {
      const p = probe(outputPath(learning.path));
      expect(videoStream(p)).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 1280, height: 720 });
      expect(audioStream(p)).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
      expect(Math.abs(Number(videoStream(p).duration) - Number(audioStream(p).duration))).toBeLessThanOrEqual(0.025);
      // Scene, two replays, slide: well beyond the expression's own 3-4 s line.
      expect(Number(videoStream(p).duration)).toBeGreaterThan(12);
    }
  });

  it('the long-form video is every learning video joined, each after a title card', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    const long = probe(outputPath(files.find((f) => f.kind === 'long').path));
    const learning = files.filter((f) => f.kind === 'expressions');
    const sum = learning.reduce((s, f) => s + Number(videoStream(probe(outputPath(f.path))).duration), 0);
    expect(Math.abs(Number(videoStream(long).duration) - sum - 1.5 * learning.length)).toBeLessThanOrEqual(FRAME);
    expect(audioStream(long).channels).toBe(2);
  });

  it('shorts are 1080x1920, one per expression, at most shortsMaxSeconds, each with a .meta.json that matches it', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    const shorts = files.filter((f) => f.kind === 'shorts');
    expect(shorts).toHaveLength(3);
    for (const s of shorts) {
      const p = probe(outputPath(s.path));
      expect(videoStream(p)).toMatchObject({ codec_name: 'h264', width: 1080, height: 1920, pix_fmt: 'yuv420p' });
      expect(p.duration).toBeLessThanOrEqual(10 + FRAME);
      const meta = JSON.parse(readFileSync(outputPath(s.path.replace('.mp4', '.meta.json')), 'utf8'));
      expect(Math.abs(meta.durationSec - Number(videoStream(p).duration))).toBeLessThanOrEqual(FRAME / 2);
      expect(meta.lessons).toHaveLength(1);
      expect(meta.parts.map((x: any) => x.kind)).toContain('repeat');
      for (const x of meta.parts.filter((x: any) => x.kind !== 'slide')) expect(x.sourceEndMs).toBeGreaterThan(x.sourceStartMs);
    }
  });

  it('slides are pictures of the output size, 16:9 and 9:16', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    const png = files.find((f) => f.path.endsWith('.png') && !f.path.endsWith('.vertical.png'));
    expect(videoStream(probe(outputPath(png.path)))).toMatchObject({ codec_name: 'png', width: 1280, height: 720 });
    const vertical = files.find((f) => f.path.endsWith('.vertical.png'));
    expect(videoStream(probe(outputPath(vertical.path)))).toMatchObject({ codec_name: 'png', width: 1080, height: 1920 });
  });

  it('serves files with HTTP Range, so a browser can seek', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    const long = files.find((f) => f.kind === 'long');
    const res = await fetch(`${t.url}/api/v1/files/${long.path}`, { headers: { range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${long.size}`);
    expect((await res.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(`${t.url}/api/v1/files/${long.path}`)).headers.get('accept-ranges')).toBe('bytes');
  });

  it('answers 416 with the size for a Range outside the file, and takes the path with its slashes encoded', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    const long = files.find((f) => f.kind === 'long');
    for (const range of ['bytes=999999999-', 'bytes=-0', 'bytes=5-2']) {
      const res = await fetch(`${t.url}/api/v1/files/${long.path}`, { headers: { range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${long.size}`);
      expect((await res.json()).message).toMatch(/outside the file/);
    }
    const encoded = await fetch(`${t.url}/api/v1/files/${encodeURIComponent(long.path)}`, { headers: { range: 'bytes=0-9' } });
    expect(encoded.status).toBe(206);
    for (const escape of ['..%2F..%2Fetc%2Fpasswd', 'a%2F%2Fb.mp4', '.env']) {
      expect((await fetch(`${t.url}/api/v1/files/${escape}`)).status, escape).toBe(400);
    }
  });

  it('lists its expressions and leaves no temp files', async () => {
    const expressions = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/expressions`)).body;
    expect(expressions.map((e: any) => e.expression)).toEqual(expect.arrayContaining(['break the ice']));
    expect(existsSync(join(roots.TEMP_ROOT, record.id))).toBe(false);
  });

  it('purges its outputs on request', async () => {
    const files = (await api(t.url, 'GET', `/api/v1/videos/${record.id}/files`)).body as any[];
    expect((await api(t.url, 'DELETE', `/api/v1/videos/${record.id}`)).status).toBe(409);
    const yes = await api(t.url, 'DELETE', `/api/v1/videos/${record.id}?purge=yes`);
    expect(yes.status).toBe(400);
    expect(yes.body.message).toBe('purge must be true or false');
    expect((await api(t.url, 'DELETE', `/api/v1/videos/${record.id}?purge=true`)).status).toBe(202);
    for (const f of files) expect(existsSync(outputPath(f.path))).toBe(false);
  });
});

describe('an episode with speech, generated (testsrc2 + espeak-ng)', () => {
  it('finds the spoken expressions and cuts them, reporting each step live', async () => {
    const r = await upload(
      { video: episode.video, subtitles: episode.srt },
      { showName: 'Generated', episodeName: 'Speech', shorts: 'false', longForm: 'false' },
    );
    const { events } = await readEvents(`${t.url}/api/v1/videos/${r.body.id}/events`, 120_000);
    expect(events.at(-1).status).toBe('SUCCESS');
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.stage).filter(Boolean))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 120_000);
    expect(done.error).toBeNull();
    const names = done.result.expressions.map((e: any) => e.expression);
    expect(names).toEqual(expect.arrayContaining(['figure out', 'call it a day']));
    expect(done.stages.find((s: any) => s.name === 'shorts')?.message).toBe('skipped');
    const files = done.result.files as any[];
    expect(files.some((f) => f.kind === 'shorts' || f.kind === 'long')).toBe(false);
    const learning = probe(outputPath(files.find((f) => f.kind === 'expressions').path));
    expect(videoStream(learning)).toMatchObject({ width: 1280, height: 720 });
  }, 150_000);
});

describe('bad input', () => {
  it('a file that is not a video is a 400 naming the video, and leaves nothing behind', async () => {
    const before = new Set(readdirSync(roots.TEMP_ROOT));
    const r = await upload({ video: BBB_SRT, subtitles: BBB_SRT });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^video: not a video ffmpeg can read/);
    expect(readdirSync(roots.TEMP_ROOT).filter((d) => !before.has(d))).toEqual([]);
  });

  it('subtitles that do not parse are a 400 naming the subtitles', async () => {
    const bad = join(dir, 'bad.srt');
    writeFileSync(bad, '1\n00:00:01,000 --> 00:00:0x,000\nHello\n');
    const r = await upload({ video: BBB, subtitles: bad });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^subtitles: SRT cue 1: bad timestamp/);
  });

  it('a missing file field is a 400 that says which', async () => {
    const r = await upload({ video: BBB });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/subtitles/);
    expect((await upload({ video: BBB, subtitles: BBB_SRT }, { maxExpressions: 'many' })).status).toBe(400);
  });

  it('a truncated video is refused with a message saying so', async () => {
    const truncated = join(dir, 'truncated.mp4');
    writeFileSync(truncated, readFileSync(BBB).subarray(0, 300_000));
    const r = await upload({ video: truncated, subtitles: BBB_SRT });
    if (r.status === 400) expect(r.body.message).toMatch(/^video: /);
    else expect((await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS'], 60_000)).error).toMatch(/corrupt|truncated|cannot be read/);
  });

  it('a video with no audio ends in FAILURE that says so', { timeout: 90_000 }, async () => {
    const silent = join(dir, 'silent.mp4');
    // prettier-ignore
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', silent]);
    const r = await upload({ video: silent, subtitles: BBB_SRT });
    expect(r.status).toBe(202);
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS'], 60_000);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/no audio track/);
    expect(existsSync(join(roots.TEMP_ROOT, r.body.id))).toBe(false);

    // Retried by hand the way the queue dashboard does it (Bull's job.retry(), nothing else): the record
    // reopens, and since the uploads went with the final failure, it fails again saying so.
    const job = await t.app.get<Queue>(getQueueToken('video.render'), { strict: false }).getJob(`${r.body.id}:1`);
    await job!.retry();
    const again = await waitFor(
      async () => {
        const rec = (await api(t.url, 'GET', `/api/v1/videos/${r.body.id}`)).body;
        return rec.status === 'FAILURE' && /input files are gone/.test(rec.error) ? rec : undefined;
      },
      20_000,
      'the retried job to fail again',
    );
    expect(again.error).toMatch(/start a new job/);
  });

  it('subtitles that do not match the video length end in FAILURE that says so', { timeout: 90_000 }, async () => {
    const late = join(dir, 'late.srt');
    writeFileSync(late, '1\n00:10:01,000 --> 00:10:04,000\nI will figure it out.\n\n2\n00:12:00,000 --> 00:12:03,000\nLet us call it a day.\n');
    const r = await upload({ video: BBB, subtitles: late });
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS'], 60_000);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/subtitles do not match the video: the expressions are at up to \d+ s, the video lasts 30 s/);
  });
});

describe('files already under MEDIA_ROOT (JSON)', () => {
  it('starts a job on them, and refuses every way out of the root', async () => {
    copyFileSync(episode.video, join(roots.MEDIA_ROOT, 'ep.mp4'));
    copyFileSync(episode.srt, join(roots.MEDIA_ROOT, 'ep.srt'));
    symlinkSync(BBB, join(roots.MEDIA_ROOT, 'escape.mp4'));
    const post = (body: unknown) => api(t.url, 'POST', '/api/v1/videos/from-media', body);
    for (const videoPath of ['../episode/episode.mp4', BBB, 'escape.mp4', 'missing.mp4']) {
      const r = await post({ videoPath, subtitlesPath: 'ep.srt' });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/^videoPath: .* is not a file under the media root/);
    }
    const ok = await post({ videoPath: 'ep.mp4', subtitlesPath: 'ep.srt', shorts: false, longForm: false, maxExpressions: 1 });
    expect(ok.status).toBe(202);
    expect((await waitForStatus(t.url, ok.body.id, ['SUCCESS', 'FAILURE'], 120_000)).status).toBe('SUCCESS');
    expect(existsSync(join(roots.MEDIA_ROOT, 'ep.mp4'))).toBe(true); // inputs under the media root are never removed
  }, 150_000);
});

describe('cancel', () => {
  it('kills the running ffmpeg processes and removes the temp files', async () => {
    const r = await upload({ video: BBB, subtitles: BBB_SRT }, { showName: 'Cancelled', maxExpressions: '3' });
    const id = r.body.id;
    await waitFor(async () => (await api(t.url, 'GET', `/api/v1/videos/${id}`)).body.stages[2].status !== 'PENDING', 60_000, 'the clips step');
    await waitFor(async () => ffmpegProcessesWith(id).length > 0, 10_000, 'an ffmpeg of the job');
    const del = await api(t.url, 'DELETE', `/api/v1/videos/${id}`);
    expect(del.status).toBe(202);
    expect(del.body.status).toBe('REVOKED');
    await waitFor(async () => ffmpegProcessesWith(id).length === 0, 2000, 'the ffmpeg processes to die');
    await waitFor(async () => !existsSync(join(roots.TEMP_ROOT, id)), 5000, 'the temp folder to go');
    expect(existsSync(join(roots.OUTPUT_ROOT, 'cancelled'))).toBe(false);
  }, 90_000);
});

describe('slides alone', () => {
  it('renders one picture per expression, wrapping or shrinking long text', { timeout: 90_000 }, async () => {
    const long = 'a very long definition that goes on and on '.repeat(12);
    const r = await api(t.url, 'POST', '/api/v1/slides', {
      expressions: [
        { expression: 'figure out', definition: 'understand', example: 'I will figure it out.' },
        { expression: 'beat around the bush', definition: long, example: long, difficulty: 'advanced', category: 'idiom' },
      ],
      width: 640,
      height: 360,
    });
    expect(r.status).toBe(202);
    const done = await waitForRecord(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 60_000, 'slides');
    expect(done.status).toBe('SUCCESS');
    expect(done.result.files).toHaveLength(2);
    for (const f of done.result.files) expect(videoStream(probe(outputPath(f.path)))).toMatchObject({ codec_name: 'png', width: 640, height: 360 });
    expect((await api(t.url, 'POST', '/api/v1/slides', { expressions: [] })).status).toBe(400);
  });
});

describe('downloads', () => {
  it('refuses paths that leave the output root', async () => {
    // Refused either as a bad path (400) or as no such file (404); never served.
    for (const path of ['..%2F..%2Fetc%2Fpasswd', '%2E%2E/%2E%2E/etc/passwd', '.hidden', 'a/../../x']) {
      expect([400, 404]).toContain((await fetch(`${t.url}/api/v1/files/${path}`)).status);
    }
    expect((await fetch(`${t.url}/api/v1/files/nothing/here.mp4`)).status).toBe(404);
  });
});
