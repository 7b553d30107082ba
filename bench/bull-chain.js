// The ceiling of bench:pipeline: plain Bull 4, no framework, for the same four-stage chain. Each stage writes
// the pipeline status (HSET + EXPIRE 3600) at start and end, reports progress once, and enqueues the next
// stage. Usage: node bench/bull-chain.js [N] [CONCURRENCY] [REDIS_URL]
// REDIS_URL's database is flushed. Prints: BENCH bull_chain n seconds per_s p50_ms p99_ms
const Queue = require('bull');
const Redis = require('ioredis').default;

const N = Number(process.argv[2]) || 2000;
const C = Number(process.argv[3]) || 50;
const url = process.argv[4] || 'redis://127.0.0.1:6379/14';
const opts = { defaultJobOptions: { removeOnComplete: true, attempts: 3 } };
const queues = [1, 2, 3, 4].map((s) => new Queue(`bench-stage${s}`, url, opts));
const r = new Redis(url);
/**
 * @param {string} id
 * @param {number} stage
 * @param {string} st
 * @param {number} p
 */
const status = (id, stage, st, p) =>
  r.multi().hset(`bench:pipeline:${id}`, 'stage', stage, 'status', st, 'progress', p).expire(`bench:pipeline:${id}`, 3600).exec();
let done = 0;
/** @type {number[]} */
const lat = [];
const finished = new Promise((resolve) => {
  queues.forEach(
    (q, i) =>
      void q.process(C, async (job) => {
        const { id } = job.data;
        await status(id, i + 1, 'STARTED', 0);
        await job.progress(50);
        await status(id, i + 1, 'SUCCESS', 100);
        if (i < 3) await queues[i + 1].add({ ...job.data, [`s${i + 1}`]: 'ok' });
        else {
          lat.push(Date.now() - job.data.t);
          if (++done === N) resolve(undefined);
        }
      }),
  );
});
void (async () => {
  await r.flushdb();
  const t0 = Date.now();
  for (let k = 0; k < N; k += 500) {
    const batch = Array.from({ length: Math.min(500, N - k) }, (_, j) => ({ data: { id: `p${k + j}`, t: Date.now() } }));
    await queues[0].addBulk(batch);
  }
  await finished;
  const s = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`BENCH bull_chain n=${N} seconds=${s.toFixed(2)} per_s=${(N / s).toFixed(1)} p50_ms=${lat[N >> 1]} p99_ms=${lat[Math.floor(N * 0.99)]}`);
  await r.flushdb();
  process.exit(0);
})();
