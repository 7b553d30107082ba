import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, waitForStatus } from './support/http';
import { AppProcess, freePort, startProcess, stopProcess } from './support/processes';
import { uploadForm } from './support/upload';
import { deleteKeys, REDIS_URL } from './support/test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeEpisode } = require('../scripts/make-episode.js');

// The service the way a new user starts it: in a folder of its own with a .env beside it and the default,
// relative storage roots of .env.example (./data/output, ./data/tmp, ./data/media).
const home = mkdtempSync(join(tmpdir(), 'langflix-new-user-'));
const prefix = `test-${randomUUID().slice(0, 8)}`;
let service: AppProcess;
let port: number;

beforeAll(async () => {
  for (const root of ['output', 'tmp', 'media']) mkdirSync(join(home, 'data', root), { recursive: true });
  port = await freePort();
  // The environment wins over the file: the file's prefix must not be the one used.
  writeFileSync(join(home, '.env'), `# as copied from .env.example\nPORT=${port}\nREDIS_PREFIX=from-dotenv-file\nVIDEO_PRESET=ultrafast\n`);
  const env: Record<string, string> = { REDIS_URL, REDIS_PREFIX: prefix, HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', ANALYSIS_THREADS: '1' };
  for (const name of ['PORT', 'OUTPUT_ROOT', 'TEMP_ROOT', 'MEDIA_ROOT']) env[name] = '';
  service = await startProcess(env, /listening on/, home);
}, 60_000);

afterAll(async () => {
  await stopProcess(service);
  await deleteKeys(REDIS_URL, prefix);
  rmSync(home, { recursive: true, force: true });
});

describe('a new user with a .env and the default relative roots', () => {
  it('listens on the PORT of .env, and a variable set in the environment wins over the file', async () => {
    const r = await api(`http://127.0.0.1:${port}`, 'POST', '/api/v1/pipelines', { text: 'I will figure it out.' });
    expect(r.status).toBe(202);
    const done = await waitForStatus(`http://127.0.0.1:${port}`, r.body.id, ['SUCCESS']);
    expect(done.result.expressions.map((e: any) => e.expression)).toContain('figure out');
    const redis = new (await import('ioredis')).default(REDIS_URL);
    try {
      expect(await redis.exists(`${prefix}:status:${r.body.id}`)).toBe(1);
      expect(await redis.exists(`from-dotenv-file:status:${r.body.id}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('makes the learning videos with TEMP_ROOT and OUTPUT_ROOT relative to its folder', async () => {
    const episode = makeEpisode(join(home, 'episode'), 12, 2);
    const base = `http://127.0.0.1:${port}`;
    const r = await uploadForm(
      `${base}/api/v1/videos`,
      { video: episode.video, subtitles: episode.srt },
      { showName: 'fresh', episodeName: 'e1', maxExpressions: '2' },
    );
    expect(r.status).toBe(202);
    const done = await waitForStatus(base, r.body.id, ['SUCCESS', 'FAILURE', 'REVOKED'], 120_000, 'videos');
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCESS');
    const long = done.result.files.find((f: any) => f.kind === 'long');
    expect(existsSync(join(home, 'data', 'output', long.path))).toBe(true);
    expect(existsSync(join(home, 'data', 'tmp', r.body.id))).toBe(false);
  }, 150_000);
});
