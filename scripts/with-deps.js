#!/usr/bin/env node
// Runs a command with what the service and its tests need from the system: Redis, ffmpeg, espeak-ng and the
// Noto fonts of the translation lines, and with --browser Chromium too (the browser tests drive Debian's /usr/bin/chromium with playwright-core).
// Uses REDIS_URL (default redis://127.0.0.1:6379) when it answers; otherwise starts a private redis-server on
// a free port for the command's lifetime and says so. Missing programs are installed from Debian's packages
// when this runs as root with apt-get; otherwise one line says what to install.
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const net = require('node:net');
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');

const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const browser = process.argv[2] === '--browser';
const command = process.argv.slice(browser ? 3 : 2);
if (!command.length) {
  console.error('usage: with-deps [--browser] <command> [args...]');
  process.exit(2);
}

/**
 * @param {string} host
 * @param {string | number} port
 * @returns {Promise<boolean>}
 */
function ping(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG') || d.toString().startsWith('-NOAUTH')));
  });
}

const has = (/** @type {string} */ bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/** Debian package of each program the service or its tests run. */
const PROGRAMS = {
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  'espeak-ng': 'espeak-ng',
  tesseract: 'tesseract-ocr',
  // CHROMIUM_PATH points the browser tests at another Chromium (or Chrome) build instead.
  ...(browser && !process.env.CHROMIUM_PATH ? { chromium: 'chromium' } : {}),
};
/**
 * Files that are not programs: the fonts of the slides' translation lines (Chinese, Japanese, Korean; Arabic,
 * Hebrew, Devanagari, Thai…), and for the browser tests a font for the screenshots' text.
 */
const FILES = {
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc': 'fonts-noto-cjk',
  '/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf': 'fonts-noto-core',
  ...(browser ? { '/usr/share/fonts/truetype/liberation': 'fonts-liberation' } : {}),
};

function ensurePrograms() {
  const missing = [
    ...new Set([
      ...Object.entries(PROGRAMS)
        .filter(([bin]) => !has(bin))
        .map(([, pkg]) => pkg),
      ...Object.entries(FILES)
        .filter(([file]) => !fs.existsSync(file))
        .map(([, pkg]) => pkg),
    ]),
  ];
  if (!missing.length) return;
  const root = process.getuid && process.getuid() === 0;
  if (!root || !has('apt-get')) {
    console.error(
      `missing programs: install ${missing.join(', ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}), or run as root to let this script do it`,
    );
    process.exit(1);
  }
  console.log(`[with-deps] installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function main() {
  ensurePrograms();
  const env = { ...process.env };
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let server;
  if (!(await ping(url.hostname, url.port || 6379))) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'langflix-redis-'));
    console.log(`[with-deps] no Redis at ${url.host}: starting a private redis-server on 127.0.0.1:${port} (nothing kept on disk)`);
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await ping('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 50));
    env.REDIS_URL = `redis://127.0.0.1:${port}`;
  }
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  const stop = () => server && server.kill('SIGTERM');
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

void main();
