// npm run bench:video [SECONDS] [EXPRESSIONS]
// A generated 5-minute episode (testsrc2 + espeak-ng speech, 854x480) with 10 expressions through the service
// (the whole job: probe, analysis, clips, slides, learning videos, long-form and shorts), then the same
// learning videos through a naive baseline that re-encodes at every step the way the original did: context
// cut -> file, expression cut -> file, repeat -> file, slide -> file, concat -> file, each at CRF 18 preset
// medium. Prints: BENCH video seconds outputs_seconds speed baseline_seconds ratio
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { bootService, fromDist, SMOKE } = require('./support');
const { makeEpisode } = require('../scripts/make-episode');
/** @type {typeof import('../src/video/video.service')} */
const { VideoService } = fromDist('video/video.service');
/** @type {typeof import('../src/status/status.service')} */
const { StatusService } = fromDist('status/status.service');
/** @type {typeof import('../src/video/render-plan')} */
const { clipWindow } = fromDist('video/render-plan');
/** @type {typeof import('../src/video/ffmpeg-args')} */
const { fitFilter, STEREO } = fromDist('video/ffmpeg-args');
/** @type {typeof import('../src/common/enums')} */
const { Level, isFinalStatus, JobStatus } = fromDist('common/enums');

const SECONDS = Number(process.argv[2]) || (SMOKE ? 30 : 300);
const BASELINE = process.env.BENCH_NO_BASELINE !== '1';
const EXPRESSIONS = Number(process.argv[3]) || (SMOKE ? 2 : 10);
const PADDING_MS = 1500;
const REPEAT = 2;
const SLIDE_S = 5;

const ffmpeg = (/** @type {string[]} */ args) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
// prettier-ignore
const naive = ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-ar', '48000'];

/**
 * The original's way: every step re-encodes its whole output.
 * @param {string} video
 * @param {import('../src/analysis/analysis.types').Expression[]} expressions
 * @param {string[]} slides
 * @param {number} durationMs
 * @param {string} dir
 */
function baseline(video, expressions, slides, durationMs, dir) {
  const f = { width: 854, height: 480, fps: 25 };
  expressions.forEach((e, i) => {
    const w = clipWindow(e.startMs ?? 0, e.endMs ?? 0, durationMs, PADDING_MS);
    const at = (/** @type {string} */ n) => join(dir, `${i}-${n}.mp4`);
    // prettier-ignore
    const cut = (/** @type {number} */ start, /** @type {number} */ dur, /** @type {string} */ out) => ffmpeg(['-ss', String(start / 1000), '-t', String(dur / 1000), '-i', video, '-vf', fitFilter(f), '-af', STEREO, ...naive, out]);
    cut(w.contextStartMs, w.contextDurationMs, at('context'));
    cut(w.contextStartMs + w.expressionOffsetMs, w.expressionDurationMs, at('expression'));
    const reps = Array.from({ length: REPEAT }, () => ['-i', at('expression')]).flat();
    // prettier-ignore
    ffmpeg([...reps, '-filter_complex', `${Array.from({ length: REPEAT }, (_, k) => `[${k}:v][${k}:a]`).join('')}concat=n=${REPEAT}:v=1:a=1[v][a]`, '-map', '[v]', '-map', '[a]', ...naive, at('repeat')]);
    // prettier-ignore
    ffmpeg(['-loop', '1', '-framerate', '25', '-t', String(SLIDE_S), '-i', slides[i], '-i', at('expression'), '-filter_complex', `[0:v]${fitFilter(f)}[v];[1:a]${STEREO},apad[a]`, '-map', '[v]', '-map', '[a]', '-t', String(SLIDE_S), ...naive, at('slide')]);
    // prettier-ignore
    ffmpeg(['-i', at('context'), '-i', at('repeat'), '-i', at('slide'), '-filter_complex', '[0:v][0:a][1:v][1:a][2:v][2:a]concat=n=3:v=1:a=1[v][a]', '-map', '[v]', '-map', '[a]', ...naive, at('learning')]);
  });
}

(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'langflix-bench-video-'));
  try {
    console.log(`generating a ${SECONDS} s episode with ${EXPRESSIONS} spoken lines...`);
    makeEpisode(join(dir, 'media'), SECONDS, EXPRESSIONS, { width: 854, height: 480, fps: 25 });
    const { app } = await bootService({
      APP_ROLE: 'all',
      REDIS_PREFIX: `bench-video-${process.pid}`,
      MEDIA_ROOT: join(dir, 'media'),
      OUTPUT_ROOT: join(dir, 'out'),
      TEMP_ROOT: join(dir, 'tmp'),
    });
    const videos = app.get(VideoService);
    const status = app.get(StatusService);
    const t0 = Date.now();
    const job = await videos.createFromMedia({
      videoPath: 'episode.mp4',
      subtitlesPath: 'episode.srt',
      showName: 'bench',
      episodeName: 'e01',
      language: 'en',
      maxExpressions: EXPRESSIONS,
      level: Level.Mixed,
      longForm: true,
      shorts: true,
      shortsMaxSeconds: 180,
    });
    /** @type {import('../src/status/status.types').StatusRecord<import('../src/video/video.types').VideoResult> | null} */
    let record;
    for (;;) {
      record = await status.get(job.id);
      if (!record || isFinalStatus(record.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ours = (Date.now() - t0) / 1000;
    await app.close();
    if (record?.status !== JobStatus.Success || !record.result) throw new Error(`job ended ${record?.status}: ${record?.error}`);
    const { expressions, files } = record.result;
    const outputs = files.reduce((s, f) => s + (f.durationSec ?? 0), 0);
    console.log(`ours: ${expressions.length} expressions, ${files.length} files, ${ours.toFixed(1)} s`);
    console.log(
      `  steps: ${record.stages.map((s) => `${s.name} ${((Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt ?? '')) / 1000).toFixed(1)} s`).join(', ')}`,
    );

    const slides = files.filter((f) => f.path.endsWith('.png')).map((f) => join(dir, 'out', f.path));
    if (!BASELINE) process.exit(0);
    const b0 = Date.now();
    baseline(join(dir, 'media', 'episode.mp4'), expressions, slides, record.result.video.durationMs, mkdtempSync(join(dir, 'baseline-')));
    const base = (Date.now() - b0) / 1000;
    console.log(`baseline: ${expressions.length} learning videos, ${base.toFixed(1)} s`);
    console.log(
      `BENCH video seconds=${ours.toFixed(1)} outputs_seconds=${outputs.toFixed(1)} speed=${(outputs / ours).toFixed(2)} baseline_seconds=${base.toFixed(1)} ratio=${(base / ours).toFixed(2)}`,
    );
    process.exit(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
