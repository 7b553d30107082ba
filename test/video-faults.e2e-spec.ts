import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, waitForStatus } from './support/http';
import { BBB_CLIP } from './support/fixtures';
import { ffmpegProcessesWith } from './support/media';
import { uploadForm } from './support/upload';
import { MediaRepository } from '../src/media/media.repository';
import { startTestApp, TestApp, testConfig } from './support/test-app';

const BBB = BBB_CLIP;
const SRT =
  '1\n00:00:01,000 --> 00:00:04,000\nThe rabbit woke up and figured it out.\n\n2\n00:00:10,000 --> 00:00:13,000\nThen the birds broke the ice with a song.\n';

let t: TestApp | undefined;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = undefined;
  try {
    execFileSync('umount', [join(dir, 'tmp')], { stdio: 'ignore' });
  } catch {
    // not mounted
  }
  rmSync(dir, { recursive: true, force: true });
});

function roots() {
  dir = mkdtempSync(join(tmpdir(), 'langflix-faults-'));
  const r = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };
  for (const d of Object.values(r)) mkdirSync(d, { recursive: true });
  copyFileSync(BBB, join(r.MEDIA_ROOT, 'bbb.mp4'));
  writeFileSync(join(r.MEDIA_ROOT, 'bbb.srt'), SRT);
  return r;
}

const start = (id: string) => api(t!.url, 'POST', '/api/v1/videos/from-media', { videoPath: 'bbb.mp4', subtitlesPath: 'bbb.srt', showName: id });
const video = (id: string, statuses: string[]) => waitForStatus(t!.url, id, statuses, 60_000, 'videos');

/** Whether this machine lets the test mount a small tmpfs (root on Linux). */
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'langflix-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe('time limits per step', () => {
  it('soft limit asks ffmpeg to stop; the retry starts after the stopped attempt ended; nothing is left', { timeout: 90_000 }, async () => {
    const r = roots();
    t = await startTestApp(
      testConfig({
        ...r,
        VIDEO_RETRIES: '1',
        VIDEO_RETRY_DELAY_MS: '100',
        VIDEO_STEP_SOFT_TIME_LIMIT_MS: '300',
        VIDEO_STEP_HARD_TIME_LIMIT_MS: '20000',
        VIDEO_PRESET: 'medium',
      }),
    );
    const job = await start('soft');
    const retrying = await video(job.body.id, ['RETRY', 'FAILURE', 'SUCCESS']);
    const step = retrying.currentStage! - 1;
    expect(retrying.stages[step].error).toMatch(/soft time limit exceeded: ffmpeg was asked to stop after 300 ms/);
    const done = await video(job.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/soft time limit exceeded.*\(after 2 attempts\)/);
    expect(Date.parse(done.stages[step].startedAt!)).toBeGreaterThan(Date.parse(retrying.updatedAt));
    expect(ffmpegProcessesWith(job.body.id)).toEqual([]);
    expect(existsSync(join(r.TEMP_ROOT, job.body.id))).toBe(false);
    expect(readdirSync(r.OUTPUT_ROOT)).toEqual([]);
  });

  it('hard limit kills an ffmpeg that no longer answers (blocked on a stalled input)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'langflix-faults-'));
    const fifo = join(dir, 'stalled-input');
    execFileSync('mkfifo', [fifo]);
    const media = new MediaRepository();
    const started = Date.now();
    await expect(media.ffmpeg(['-i', fifo, '-f', 'null', '-'], { softTimeLimitMs: 100, hardTimeLimitMs: 800 })).rejects.toMatchObject({
      code: 'HARD_TIME_LIMIT',
      message: 'hard time limit exceeded: ffmpeg ran for 800 ms and was killed',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ffmpegProcessesWith(fifo)).toEqual([]);
  });
});

describe('upload limits', () => {
  it('an upload over MAX_VIDEO_BYTES is refused and leaves nothing behind', async () => {
    const r = roots();
    t = await startTestApp(testConfig({ ...r, MAX_VIDEO_BYTES: '100000' }));
    const res = await uploadForm(`${t.url}/api/v1/videos`, { video: BBB, subtitles: join(r.MEDIA_ROOT, 'bbb.srt') });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/^video: the file is larger than the limit of \d+ bytes \(MAX_VIDEO_BYTES\)$/);
    expect(readdirSync(r.TEMP_ROOT)).toEqual([]);
  });
});

describe('a disk that fills', () => {
  it.skipIf(!canMount())('ends in FAILURE saying the disk is full, with partial outputs removed', { timeout: 90_000 }, async () => {
    const r = roots();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', r.TEMP_ROOT]);
    t = await startTestApp(testConfig({ ...r, VIDEO_RETRIES: '0' }));
    const job = await start('full');
    const done = await video(job.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/the disk is full/);
    expect(readdirSync(r.TEMP_ROOT)).toEqual([]);
    expect(readdirSync(r.OUTPUT_ROOT)).toEqual([]);
    expect(ffmpegProcessesWith(job.body.id)).toEqual([]);
  });
});
