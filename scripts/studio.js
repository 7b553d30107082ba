#!/usr/bin/env node
// npm run studio
// Starts the service locally for the studio page (api + workers in one process) with folders of its own under
// data/studio (kept between runs), and prints the page's URL; a sample episode the project generates (spoken
// lines that match its subtitles) is ready to upload there. Stops with Ctrl-C. Run through scripts/with-deps.js,
// which starts a private Redis when none answers. PORT picks the port (default 3000, or a free one if taken).
const { spawn } = require('node:child_process');
const { existsSync, mkdirSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { untilHealthy } = require('./local-service');
const { makeEpisode } = require('./make-episode');

const HOST = process.env.HOST || '127.0.0.1';
const data = path.resolve(__dirname, '../data/studio');
const roots = { OUTPUT_ROOT: path.join(data, 'output'), TEMP_ROOT: path.join(data, 'tmp'), MEDIA_ROOT: path.join(data, 'media') };

/** @returns {Promise<number>} the port, or a free one when it is taken */
const portFrom = (/** @type {number} */ wanted) =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => void portFrom(0).then(resolve));
    s.listen(wanted, HOST, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });

async function main() {
  Object.values(roots).forEach((d) => mkdirSync(d, { recursive: true }));
  const sample = path.join(roots.MEDIA_ROOT, 'sample');
  if (!existsSync(path.join(sample, 'episode.srt'))) {
    console.log('Generating a 60 s sample episode to try the studio with (ffmpeg testsrc2 + espeak-ng)...');
    makeEpisode(sample, 60, 6);
  }
  const port = await portFrom(Number(process.env.PORT || 3000));
  const base = `http://${HOST === '0.0.0.0' ? '127.0.0.1' : HOST}:${port}`;
  const service = spawn(process.execPath, [path.join(__dirname, '../dist/main.js')], {
    env: { LOG_LEVEL: 'warn', ...process.env, PORT: String(port), HOST, REDIS_PREFIX: process.env.REDIS_PREFIX || 'langflix-studio', ...roots },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => service.exitCode === null && service.kill('SIGTERM');
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, stop);
  service.on('exit', (code) => process.exit(code ?? 0));

  // A service that exits (bad configuration) has said why on stderr, and this process exits with it.
  if (!(await untilHealthy(base, service))) return;
  console.log(`
  langflix studio: ${base}/studio
${process.env.API_KEYS ? '  (the page asks for one of API_KEYS)\n' : ''}
  No episode at hand? Upload the sample:
    video      ${path.join(sample, 'episode.mp4')}
    subtitles  ${path.join(sample, 'episode.srt')}
  Outputs are kept in ${roots.OUTPUT_ROOT}. Ctrl-C stops the service.
`);
}

main().catch((err) => {
  console.error(`studio failed: ${err.message}`);
  process.exit(1);
});
