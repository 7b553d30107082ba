import { SchedulerRegistry } from '@nestjs/schedule';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleanupScheduler } from '../src/cleanup/cleanup.scheduler';
import { sweepTree } from '../src/cleanup/file-sweeper';
import { JobStatus } from '../src/common/enums';
import { StatusService } from '../src/status/status.service';
import { stagesOf } from '../src/jobs/job-kind';
import { VIDEO_JOB } from '../src/video/video.job';
import { api } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

const VIDEO_STEPS = stagesOf(VIDEO_JOB);

const DAY = 86_400_000;
let t: TestApp;
let out = '';
let temp = '';
let outside = '';
beforeAll(async () => {
  t = await startTestApp(
    testConfig({ CLEANUP_CRON: '30 3 * * *', CLEANUP_TEMP_MAX_AGE: '24h', CLEANUP_INTERMEDIATE_MAX_AGE: '3d', CLEANUP_OUTPUT_MAX_AGE: '7d' }),
  );
  out = t.config.env.OUTPUT_ROOT;
  temp = t.config.env.TEMP_ROOT;
  outside = mkdtempSync(join(tmpdir(), 'langflix-outside-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(outside, { recursive: true, force: true });
});

function file(path: string, ageMs: number, content = 'x'.repeat(100)) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
  return path;
}

const status = () => t.app.get(StatusService);
const run = (body: unknown) => api(t.url, 'POST', '/api/v1/cleanup/run', body);

describe('the sweep', () => {
  let running = '';
  let tree: Record<string, string> = {};
  beforeAll(async () => {
    running = crypto.randomUUID();
    await status().create('video', running, { showName: 'Running Show', episodeName: 'E1', language: 'en' }, VIDEO_STEPS);
    await status().updateStage(running, 3, { status: JobStatus.Started, progress: 10 }, { overall: JobStatus.Progress });
    const finished = crypto.randomUUID();
    await status().create('video', finished, { showName: 'Old Show', episodeName: 'E1', language: 'en' }, VIDEO_STEPS);
    await status().updateStage(
      finished,
      7,
      { status: JobStatus.Success, progress: 100 },
      { overall: JobStatus.Success, result: { files: [{ path: 'old-show/e1/en/shorts/s.mp4', kind: 'shorts', size: 100, durationSec: 1 }] } },
    );
    const outsideFile = file(join(outside, 'precious.mp4'), 30 * DAY);
    tree = {
      runningUpload: file(join(temp, running, 'upload', 'video'), 5 * DAY),
      oldTemp: file(join(temp, crypto.randomUUID(), 'work', 'x.mp4'), 2 * DAY),
      recentTemp: file(join(temp, crypto.randomUUID(), 'upload', 'video'), 1000),
      runningOutput: file(join(out, 'running-show/e1/en/clips/a.mp4'), 30 * DAY),
      oldClip: file(join(out, 'old-show/e1/en/clips/c.mp4'), 4 * DAY),
      recentFinal: file(join(out, 'old-show/e1/en/long/l.mp4'), 4 * DAY),
      oldShort: file(join(out, 'old-show/e1/en/shorts/s.mp4'), 8 * DAY),
      outsideFile,
    };
    symlinkSync(outsideFile, join(out, 'old-show/e1/en/clips/link.mp4'));
    symlinkSync(outside, join(temp, 'escape'));
  });

  it('a dry run reports what would go and deletes nothing', async () => {
    const r = await run({ dryRun: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      dryRun: true,
      removed: { temp: { files: 1, bytes: 100 }, intermediate: { files: 1, bytes: 100 }, final: { files: 1, bytes: 100 } },
    });
    for (const path of Object.values(tree)) expect(existsSync(path)).toBe(true);
  });

  it('removes exactly the old files of finished jobs, keeps the rest and says why', async () => {
    const r = await run({});
    expect(r.status).toBe(200);
    const report = r.body;
    expect(report.removed).toEqual({ temp: { files: 1, bytes: 100 }, intermediate: { files: 1, bytes: 100 }, final: { files: 1, bytes: 100 } });
    expect(report.kept).toEqual({ 'job not final': 2, recent: 2, 'symlink (never followed)': 2 });
    expect(report.errorCount).toBe(0);
    const gone = ['oldTemp', 'oldClip', 'oldShort'];
    for (const [name, path] of Object.entries(tree)) expect([name, existsSync(path)]).toEqual([name, !gone.includes(name)]);
    // Folders left empty went too; the root stays.
    expect(existsSync(join(out, 'old-show/e1/en/shorts'))).toBe(false);
    expect(existsSync(dirname(dirname(tree.oldTemp)))).toBe(false);
    expect(existsSync(out)).toBe(true);
    expect(report.emptyDirsRemoved).toBeGreaterThanOrEqual(3);
    expect((await api(t.url, 'GET', '/api/v1/cleanup/last')).body).toEqual(report);
  });

  it('a download of a swept file is 410, and so is the file list of its job', async () => {
    expect((await fetch(`${t.url}/api/v1/files/old-show/e1/en/shorts/s.mp4`)).status).toBe(410);
    expect((await fetch(`${t.url}/api/v1/files/old-show/e1/en/never-was.mp4`)).status).toBe(404);
    const finished = (await status().list('video', 10)).find((r) => r.status === JobStatus.Success)!;
    expect((await api(t.url, 'GET', `/api/v1/videos/${finished.id}/files`)).status).toBe(410);
  });

  it('takes a manual age for everything when asked', async () => {
    const r = await run({ olderThanHours: 0 });
    expect(r.body.removed.final.files).toBe(1); // the long-form video, kept before as recent
    expect(existsSync(tree.runningOutput)).toBe(true); // still a running job's
    expect(existsSync(tree.outsideFile)).toBe(true);
  });

  it('refuses bad requests', async () => {
    expect((await run({ olderThanHours: -1 })).status).toBe(400);
    expect((await run({ dryRun: 'yes' })).status).toBe(400);
  });
});

describe('a folder with a hundred thousand files', () => {
  it('is swept in bounded memory, and a second sweep at the same time is refused', { timeout: 120_000 }, async () => {
    const bulk = join(temp, 'bulk');
    mkdirSync(bulk, { recursive: true });
    for (let i = 0; i < 100_000; i++) closeSync(openSync(join(bulk, `f${i}`), 'w'));
    global.gc?.();
    const before = process.memoryUsage().rss;
    const [a, b] = await Promise.all([run({ olderThanHours: 0 }), new Promise((r) => setTimeout(r, 200)).then(() => run({ olderThanHours: 0 }))]);
    const grew = process.memoryUsage().rss - before;
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const report = a.status === 200 ? a.body : b.body;
    expect(report.removed.temp.files).toBeGreaterThanOrEqual(100_000);
    expect(existsSync(bulk)).toBe(false);
    expect(grew).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('the schedule', () => {
  it('runs the configured cron expression, and its handler sweeps', async () => {
    const job = t.app.get(SchedulerRegistry).getCronJob('cleanup');
    expect(job.cronTime.source).toBe('30 3 * * *');
    await t.app.get(CleanupScheduler).onTick();
    expect((await api(t.url, 'GET', '/api/v1/cleanup/last')).body.dryRun).toBe(false);
  });
});

describe('sweepTree', () => {
  it('goes on when a file vanishes during the walk', async () => {
    const root = mkdtempSync(join(tmpdir(), 'langflix-sweep-'));
    for (let i = 0; i < 50; i++) writeFileSync(join(root, `f${i}`), 'x');
    const errors: string[] = [];
    let removed = 0;
    await sweepTree(
      root,
      (rel) => {
        // Another process removes a file the walk has not reached yet.
        const victim = join(root, `f${49 - Number(rel[0].slice(1))}`);
        if (existsSync(victim) && rel[0] !== `f${49 - Number(rel[0].slice(1))}`) unlinkSync(victim);
        return { remove: true, kind: 'temp' };
      },
      { removed: () => void removed++, kept: () => undefined, error: (p, e) => void errors.push(e.message), emptyDirRemoved: () => undefined },
      false,
    );
    expect(errors).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });
});
