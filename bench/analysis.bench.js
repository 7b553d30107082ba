// npm run bench:analysis [CUES] [RUNS]
// A film-length subtitle file (1200 cues by default) through the service: submit -> four stages on the
// stage threads -> SUCCESS, timed from submit to the final status. Side by side, the same four stages called
// directly in one thread (no queue, no Redis), so the ratio shows what the pipeline machinery adds.
// Prints: BENCH analysis cues bytes p50_ms max_ms direct_ms overhead_ratio
const { bootService, percentile, fromDist, SMOKE } = require('./support');
const { longSubtitles } = require('./long-subtitles');
/** @type {typeof import('../src/pipeline/pipeline.service')} */
const { PipelineService } = fromDist('pipeline/pipeline.service');
/** @type {typeof import('../src/jobs/job-queues')} */
const { JobQueues } = fromDist('jobs/job-queues');
/** @type {typeof import('../src/pipeline/pipeline.job')} */
const { PIPELINE_JOB } = fromDist('pipeline/pipeline.job');
/** @type {typeof import('../src/status/status.service')} */
const { StatusService } = fromDist('status/status.service');
/** @type {typeof import('../src/analysis/analysis-engine')} */
const { AnalysisEngine } = fromDist('analysis/analysis-engine');
/** @type {typeof import('../src/common/enums')} */
const { JobStatus } = fromDist('common/enums');

const CUES = Number(process.argv[2]) || (SMOKE ? 200 : 1200);
const RUNS = Number(process.argv[3]) || (SMOKE ? 1 : 5);
/** @type {typeof import('../src/common/enums')} */
const { InputFormat, Level } = fromDist('common/enums');
/** @type {import('../src/analysis/analysis-engine').AnalysisOptions} */
const options = { format: InputFormat.Auto, language: 'en', maxExpressions: 20, level: Level.Mixed };

(async () => {
  const text = longSubtitles(CUES);
  const { app } = await bootService({ REDIS_PREFIX: `bench-analysis-${process.pid}`, APP_ROLE: 'all' });
  const pipelines = app.get(PipelineService);
  const status = app.get(StatusService);
  const last = app.get(JobQueues).get(PIPELINE_JOB.steps[PIPELINE_JOB.steps.length - 1].queue);
  /** @type {Map<string, (v?: unknown) => void>} */
  const waiting = new Map();
  last.on('completed', (/** @type {import('../src/jobs/job-queue').QueueJob} */ job) => waiting.get(job.data.recordId)?.());

  /** @type {number[]} */
  const timings = [];
  let found = 0;
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = await pipelines.create({ text, ...options });
    await new Promise((resolve) => waiting.set(r.id, resolve));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    /** @type {import('../src/status/status.types').StatusRecord<import('../src/analysis/analysis.types').AnalysisResult> | null} */
    const record = await status.get(r.id);
    if (record?.status !== JobStatus.Success || !record.result) throw new Error(`pipeline ended ${record?.status}: ${record?.error}`);
    found = record.result.expressions.length;
    if (i > 0) timings.push(ms); // the first run warms the threads up
  }
  await app.close();

  const engine = new AnalysisEngine();
  /** @type {number[]} */
  const direct = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    engine.analyse(text, options);
    if (i > 0) direct.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  timings.sort((a, b) => a - b);
  direct.sort((a, b) => a - b);
  const p50 = percentile(timings, 0.5);
  const d50 = percentile(direct, 0.5);
  console.log(`expressions found per run: ${found}`);
  console.log(
    `BENCH analysis cues=${CUES} bytes=${Buffer.byteLength(text)} p50_ms=${p50.toFixed(0)} max_ms=${(timings.at(-1) ?? 0).toFixed(0)} direct_ms=${d50.toFixed(0)} overhead_ratio=${(p50 / d50).toFixed(2)}`,
  );
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
