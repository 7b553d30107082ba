// npm run bench:video [SECONDS] [EXPRESSIONS]
// A generated 5-minute episode (testsrc2 + espeak-ng speech, 854x480) with 10 expressions through the service
// (the whole job: probe, analysis, scenes, slides, learning videos, long-form and one short per expression),
// then the same outputs at the same resolutions through a naive baseline that re-encodes at every step, the
// way the original did: scene cut with subtitles -> file, expression cut -> file, repeat -> file, slide ->
// file, concat -> file (learning video), then the long-form re-encoded from the learning videos, and each
// short the same way in 9:16, each encode at CRF 18 preset medium.
// Prints: BENCH video seconds outputs_seconds speed baseline_seconds ratio
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { bootService, fromDist, SMOKE } = require('./support');
const { makeEpisode } = require('../scripts/make-episode');
/** @type {typeof import('../src/video/video.service')} */
const { VideoService } = fromDist('video/video.service');
/** @type {typeof import('../src/status/status.service')} */
const { StatusService } = fromDist('status/status.service');
/** @type {typeof import('../src/video/ffmpeg-args')} */
const { fitFilter, bandFilter, STEREO, filterValue } = fromDist('video/ffmpeg-args');
/** @type {typeof import('../src/common/enums')} */
const { Level, isFinalStatus, JobStatus } = fromDist('common/enums');

const SECONDS = Number(process.argv[2]) || (SMOKE ? 30 : 300);
const BASELINE = process.env.BENCH_NO_BASELINE !== '1';
const EXPRESSIONS = Number(process.argv[3]) || (SMOKE ? 2 : 10);
const REPEAT = 2;

const ffmpeg = (/** @type {string[]} */ args) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
// prettier-ignore
const naive = ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', '25', '-c:a', 'aac', '-ac', '2', '-ar', '48000'];

/**
 * The original's way, for every output the service made: every step re-encodes its whole output.
 * @param {string} video
 * @param {string} srt
 * @param {import('../src/video/video.types').ShortMeta[]} metas one per expression, in episode order
 * @param {string[]} slides horizontal slide pictures, same order
 * @param {string[]} verticalSlides
 * @param {{ width: number, height: number }} f the learning videos' frame
 * @param {string} dir
 */
function baseline(video, srt, metas, slides, verticalSlides, f, dir) {
  const subs = `subtitles=filename=${filterValue(srt)}`;
  const at = (/** @type {string} */ n) => join(dir, `${n}.mp4`);
  /** @param {string} fit @param {number} startMs @param {number} endMs @param {string} out */
  const cut = (fit, startMs, endMs, out) =>
    // prettier-ignore
    ffmpeg(['-ss', String(startMs / 1000), '-t', String((endMs - startMs) / 1000), '-copyts', '-i', video, '-vf', `${subs},setpts=PTS-STARTPTS,${fit}`, '-af', `asetpts=PTS-STARTPTS,${STEREO}`, ...naive, out]);
  /** @param {string[]} parts @param {string} out */
  const concat = (parts, out) =>
    // prettier-ignore
    ffmpeg([...parts.flatMap((p) => ['-i', p]), '-filter_complex', `${parts.map((_, k) => `[${k}:v][${k}:a]`).join('')}concat=n=${parts.length}:v=1:a=1[v][a]`, '-map', '[v]', '-map', '[a]', ...naive, out]);
  /** @param {string} png @param {string} clip @param {number} seconds @param {string} fit @param {string} out */
  const slide = (png, clip, seconds, fit, out) =>
    // prettier-ignore
    ffmpeg(['-loop', '1', '-framerate', '25', '-t', String(seconds), '-i', png, '-stream_loop', '-1', '-i', clip, '-filter_complex', `[0:v]${fit}[v];[1:a]${STEREO}[a]`, '-map', '[v]', '-map', '[a]', '-t', String(seconds), ...naive, out]);
  const horizontal = fitFilter(f);
  const vertical = `${bandFilter(1080)},pad=1080:1920:0:400`;
  const learning = metas.map((meta, i) => {
    const l = meta.lessons[0];
    const slideSec = meta.parts.find((p) => p.kind === 'slide')?.durationSec ?? 5;
    for (const [kind, fit, png] of /** @type {const} */ ([
      ['h', horizontal, slides[i]],
      ['v', vertical, verticalSlides[i]],
    ])) {
      cut(fit, l.sceneStartMs, l.sceneEndMs, at(`${i}${kind}-context`));
      cut(fit, l.expressionStartMs, l.expressionEndMs, at(`${i}${kind}-expression`));
      concat(Array(REPEAT).fill(at(`${i}${kind}-expression`)), at(`${i}${kind}-repeat`));
      slide(png, at(`${i}${kind}-expression`), slideSec, kind === 'h' ? horizontal : 'scale=1080:1920', at(`${i}${kind}-slide`));
      concat([at(`${i}${kind}-context`), at(`${i}${kind}-repeat`), at(`${i}${kind}-slide`)], at(`${i}${kind}-lesson`));
    }
    return at(`${i}h-lesson`);
  });
  concat(learning, at('long'));
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
      shortsMaxSeconds: 60,
      shortsMode: 'single',
      review: false,
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

    if (!BASELINE) process.exit(0);
    const read = (/** @type {string} */ p) => join(dir, 'out', p);
    const metas = files
      .filter((f) => f.kind === 'meta')
      .map((f) => /** @type {import('../src/video/video.types').ShortMeta} */ (JSON.parse(readFileSync(read(f.path), 'utf8'))))
      .sort((a, b) => a.lessons[0].number - b.lessons[0].number);
    // A short is named {show}_{episode}_{lesson}.mp4, its slides {lesson}.png and {lesson}.vertical.png.
    const lessonOf = (/** @type {import('../src/video/video.types').ShortMeta} */ m) => m.file.replace(/^bench_e01_/, '').replace(/\.mp4$/, '');
    const slideOf = (/** @type {boolean} */ vertical) =>
      metas.map((m) => read(files.find((f) => f.path.endsWith(`/${lessonOf(m)}${vertical ? '.vertical' : ''}.png`))?.path ?? ''));
    const learning = files.find((f) => f.kind === 'expressions');
    const frame = execFileSync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v',
      '-show_entries',
      'stream=width,height',
      '-of',
      'csv=p=0',
      read(learning?.path ?? ''),
    ])
      .toString()
      .trim()
      .split(',')
      .map(Number);
    const b0 = Date.now();
    const media = join(dir, 'media');
    baseline(
      join(media, 'episode.mp4'),
      join(media, 'episode.srt'),
      metas,
      slideOf(false),
      slideOf(true),
      { width: frame[0], height: frame[1] },
      mkdtempSync(join(dir, 'baseline-')),
    );
    const baseSeconds = (Date.now() - b0) / 1000;
    console.log(`baseline: ${metas.length} learning videos and shorts, the long-form, at ${frame.join('x')} and 1080x1920: ${baseSeconds.toFixed(1)} s`);
    console.log(
      `BENCH video seconds=${ours.toFixed(1)} outputs_seconds=${outputs.toFixed(1)} speed=${(outputs / ours).toFixed(2)} baseline_seconds=${baseSeconds.toFixed(1)} ratio=${(baseSeconds / ours).toFixed(2)}`,
    );
    process.exit(0);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
