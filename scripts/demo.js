#!/usr/bin/env node
// npm run demo [-- file.srt]
// Starts the service, sends a subtitle file (the bundled samples/episode.srt by default), shows a progress
// bar per stage from the live event stream and prints the expressions found. Without a file of your own, it
// then cuts the lessons of a short episode the project generates (spoken lines that match its subtitles):
// learning videos, a long-form and one short per expression, and says where they are and how to watch them
// in the studio page (npm run studio). Then it stops.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { untilHealthy } = require('./local-service');
const { makeEpisode } = require('./make-episode');

const own = process.argv[2];
const file = own || path.join(__dirname, '../samples/episode.srt');
const STAGES = ['preprocess', 'features', 'inference', 'postprocess'];
const STEPS = ['probe', 'analysis', 'clips', 'slides', 'assembly', 'long-form', 'shorts'];

/** The demo's own output and temp folders, so that it runs from any checkout. */
function demoRoots() {
  const dir = require('node:fs').mkdtempSync(path.join(require('node:os').tmpdir(), 'langflix-demo-'));
  const roots = { OUTPUT_ROOT: path.join(dir, 'output'), TEMP_ROOT: path.join(dir, 'tmp'), MEDIA_ROOT: path.join(dir, 'media') };
  Object.values(roots).forEach((d) => require('node:fs').mkdirSync(d));
  return roots;
}

/** @returns {Promise<number>} */
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });

async function main() {
  const port = await freePort();
  const roots = demoRoots();
  const base = `http://127.0.0.1:${port}`;
  console.log(`Starting langflix-backend on ${base} (api + workers in one process)...`);
  const service = spawn(process.execPath, [path.join(__dirname, '../dist/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_PREFIX: process.env.REDIS_PREFIX || 'langflix-demo', ...roots },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  service.stderr.on('data', (d) => (stderr += d));
  const stop = () => service.exitCode === null && service.kill('SIGTERM');
  process.on('exit', stop);

  if (!(await untilHealthy(base, service))) throw new Error(`the service exited:\n${stderr}`);

  const text = readFileSync(file, 'utf8');
  console.log(`Sending ${path.relative(process.cwd(), file)} (${Buffer.byteLength(text)} bytes)\n`);
  const created = await fetch(`${base}/api/v1/pipelines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, maxExpressions: 12 }),
  }).then((r) => r.json());
  if (!created.id) throw new Error(`the service refused the file: ${JSON.stringify(created.message)}`);

  const final = await watch(`${base}/api/v1/pipelines/${created.id}/events`, STAGES);
  const record = await fetch(`${base}/api/v1/pipelines/${created.id}`).then((r) => r.json());
  if (final !== 'SUCCESS') throw new Error(`pipeline ended ${final}: ${record.error}`);
  printExpressions(record.result);
  if (!own) await lessons(base, roots);
  stop();
}

/**
 * The whole product on a generated episode: a video job, its steps live, then the files it made.
 * @param {string} base
 * @param {Record<string, string>} roots
 */
async function lessons(base, roots) {
  console.log('Generating a 60 s episode with six spoken lines (ffmpeg testsrc2 + espeak-ng) and cutting its lessons...\n');
  const { video, srt } = makeEpisode(path.join(roots.MEDIA_ROOT, 'episode'), 60, 6);
  const form = new FormData();
  form.append('video', new Blob([readFileSync(video)], { type: 'video/mp4' }), 'episode.mp4');
  form.append('subtitles', new Blob([readFileSync(srt)], { type: 'text/plain' }), 'episode.srt');
  for (const [k, v] of Object.entries({ showName: 'Demo Show', episodeName: 'E01', maxExpressions: '6' })) form.append(k, v);
  const created = await fetch(`${base}/api/v1/videos`, { method: 'POST', body: form }).then((r) => r.json());
  if (!created.id) throw new Error(`the service refused the episode: ${JSON.stringify(created.message)}`);
  const final = await watch(`${base}/api/v1/videos/${created.id}/events`, STEPS);
  const record = await fetch(`${base}/api/v1/videos/${created.id}`).then((r) => r.json());
  if (final !== 'SUCCESS') throw new Error(`video job ended ${final}: ${record.error}`);
  /** @type {{ path: string, kind: string, durationSec: number | null }[]} */
  const files = record.result.files;
  const at = (/** @type {string} */ rel) => path.join(roots.OUTPUT_ROOT, rel);
  console.log(`\nLessons of ${record.result.expressions.length} expressions, in ${roots.OUTPUT_ROOT}:\n`);
  for (const kind of ['long', 'expressions', 'shorts']) {
    for (const f of files.filter((x) => x.kind === kind)) console.log(`  ${kind.padEnd(11)} ${f.durationSec?.toFixed(1).padStart(5)} s  ${at(f.path)}`);
  }
  const long = files.find((f) => f.kind === 'long');
  console.log(`\nWatch them with any video player, for example:\n  ffplay "${long ? at(long.path) : roots.OUTPUT_ROOT}"`);
  console.log('Each short has a .meta.json beside it (title, description, hashtags) ready for an upload.');
  console.log(
    [
      '\nOr do it all in the browser: run `npm run studio` and open the URL it prints. Upload this episode',
      `  ${video}\n  ${srt}`,
      'there, watch the steps live, review the expressions (keep, drop, edit, play each line), render, then watch',
      'and download the learning videos, the long-form and the shorts in the page.',
    ].join('\n'),
  );
}

/**
 * Follows the SSE stream and redraws one bar per stage; resolves with the final status.
 * @param {string} url
 * @param {string[]} names
 */
function watch(url, names) {
  const bars = names.map((name) => ({ name, status: 'PENDING', progress: 0 }));
  const tty = process.stdout.isTTY;
  let drawn = false;
  const draw = () => {
    if (tty && drawn) process.stdout.write(`\x1b[${bars.length}A`);
    for (const b of bars) {
      const filled = Math.round(b.progress / 5);
      process.stdout.write(`  ${b.name.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(b.progress).padStart(3)}%  ${b.status}\n`);
    }
    drawn = true;
  };
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { accept: 'text/event-stream' } }, (res) => {
        let buf = '';
        let last = 'PENDING';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const data = buf
              .slice(0, i)
              .split('\n')
              .find((l) => l.startsWith('data:'));
            buf = buf.slice(i + 2);
            if (!data) continue;
            const e = JSON.parse(data.slice(5));
            last = e.status;
            if (e.stage) {
              const bar = bars[e.stage - 1];
              bar.status = e.stageStatus ?? bar.status;
              bar.progress = Math.max(bar.progress, e.stageProgress ?? (bar.status === 'SUCCESS' ? 100 : bar.progress));
              for (let s = 0; s < e.stage - 1; s++) Object.assign(bars[s], { status: 'SUCCESS', progress: 100 });
            }
            if (tty || ['SUCCESS', 'FAILURE', 'REVOKED'].includes(e.status)) draw();
          }
        });
        res.on('end', () => resolve(last));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** @param {import('../src/analysis/analysis.types').AnalysisResult} result */
function printExpressions({ expressions, stats }) {
  const time = (/** @type {number | null} */ ms) => (ms === null ? '   -   ' : new Date(ms).toISOString().slice(14, 21));
  console.log(
    `\n${stats.cues} cues, ${stats.sentences} sentences, ${stats.tokens} tokens: ${stats.distinctExpressions} expressions found, the best ${expressions.length}:\n`,
  );
  for (const e of expressions) {
    console.log(`  ${time(e.startMs)}  ${e.expression}  (${e.category.replace('_', ' ')}, ${e.difficulty}, score ${e.score})`);
    console.log(`             ${e.definition}`);
    console.log(`             "${e.example}"\n`);
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
