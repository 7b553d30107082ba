// npm run bench:pipeline [N]
// N pipelines on "I will figure it out." through the service's real code path (PipelineService.create:
// validation, status record, enqueue; then the four Bull processors with their stage threads and atomic
// status writes), then the same chain on plain Bull (bench/bull-chain.js) in the same run, as the ceiling.
// Prints: BENCH pipeline per_s p50_ms p99_ms idle_p50_ms bull_per_s ratio
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const Redis = require('ioredis').default;
const { bootService, percentile, fromDist, SMOKE } = require('./support');
/** @type {typeof import('../src/pipeline/pipeline.service')} */
const { PipelineService } = fromDist('pipeline/pipeline.service');
/** @type {typeof import('../src/jobs/job-queues')} */
const { JobQueues } = fromDist('jobs/job-queues');
/** @type {typeof import('../src/pipeline/pipeline.job')} */
const { PIPELINE_JOB } = fromDist('pipeline/pipeline.job');
/** @type {typeof import('../src/status/status.service')} */
const { StatusService } = fromDist('status/status.service');
/** @type {typeof import('../src/common/enums')} */
const { JobStatus, InputFormat, Level } = fromDist('common/enums');

const N = Number(process.argv[2]) || (SMOKE ? 200 : 2000);
const CONCURRENCY = 50;
const base = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const ourUrl = `${base.replace(/\/\d+$/, '')}/13`;
const bullUrl = `${base.replace(/\/\d+$/, '')}/14`;
const TEXT = 'I will figure it out.';

async function runOurs() {
  const prefix = `bench-${process.pid}`;
  const { app } = await bootService({ REDIS_URL: ourUrl, REDIS_PREFIX: prefix, STAGE_CONCURRENCY: String(CONCURRENCY), APP_ROLE: 'all' });
  const pipelines = app.get(PipelineService);
  // Completion is read where the chain ends: the last stage's job completes after the final status write.
  // Listening there, in-process, adds no Redis traffic to what is measured.
  const last = app.get(JobQueues).get(PIPELINE_JOB.steps[PIPELINE_JOB.steps.length - 1].queue);
  const status = app.get(StatusService);
  /** @type {Map<string, number>} */
  const started = new Map();
  /** @type {number[]} */
  const latencies = [];
  /** @type {() => void} */
  let onFinal = () => undefined;
  last.on('completed', (/** @type {import('../src/jobs/job-queue').QueueJob} */ job) => {
    const t = started.get(job.data.recordId);
    if (t === undefined) return;
    latencies.push(Date.now() - t);
    started.delete(job.data.recordId);
    onFinal();
  });
  last.on('failed', (/** @type {import('../src/jobs/job-queue').QueueJob} */ job, /** @type {Error} */ err) => {
    console.error(`pipeline ${job.data.recordId} failed: ${err.message}`);
    process.exit(1);
  });
  const submit = async () => {
    const t = Date.now();
    const r = await pipelines.create({ text: TEXT, format: InputFormat.Auto, language: 'en', maxExpressions: 10, level: Level.Mixed });
    started.set(r.id, t);
  };

  // Warm-up, then single pipelines with no backlog.
  /** @type {number[]} */
  const idle = [];
  for (let i = 0; i < 60; i++) {
    const done = new Promise((resolve) => (onFinal = () => resolve(undefined)));
    await submit();
    await done;
    if (i >= 10) idle.push(latencies.at(-1) ?? 0);
  }
  latencies.length = 0;

  // Throughput: N submitted at once (in batches, like the yardstick), all awaited.
  const t0 = Date.now();
  let finished = 0;
  const all = new Promise((resolve) => (onFinal = () => void (++finished === N && resolve(undefined))));
  for (let k = 0; k < N; k += 500) await Promise.all(Array.from({ length: Math.min(500, N - k) }, submit));
  await all;
  const seconds = (Date.now() - t0) / 1000;
  /** @type {import('../src/status/status.types').StatusRecord<import('../src/analysis/analysis.types').AnalysisResult> | null} */
  const sample = await status.get([...(await status.list('pipeline', 1))][0].id);
  if (sample?.status !== JobStatus.Success || !sample.result?.expressions.some((e) => e.expression === 'figure out')) {
    throw new Error(`unexpected result: ${JSON.stringify(sample)}`);
  }
  await app.close();
  const cleanup = new Redis(ourUrl);
  await cleanup.flushdb();
  await cleanup.quit();
  latencies.sort((a, b) => a - b);
  idle.sort((a, b) => a - b);
  return { perSecond: N / seconds, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), idleP50: percentile(idle, 0.5) };
}

function runBull() {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'bull-chain.js'), String(N), String(CONCURRENCY), bullUrl], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCH bull_chain'));
  if (!line) throw new Error(`bull-chain printed no BENCH line:\n${out}`);
  console.log(line);
  return Number(/per_s=([\d.]+)/.exec(line)?.[1]);
}

(async () => {
  const ours = await runOurs();
  console.log(`ours: n=${N} seconds=${ours.seconds.toFixed(2)}`);
  const bull = runBull();
  console.log(
    `BENCH pipeline per_s=${ours.perSecond.toFixed(1)} p50_ms=${ours.p50} p99_ms=${ours.p99} idle_p50_ms=${ours.idleP50} bull_per_s=${bull.toFixed(1)} ratio=${(ours.perSecond / bull).toFixed(2)}`,
  );
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
