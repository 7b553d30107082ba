import Redis from 'ioredis';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { longText, makeSrt } from './support/fixtures';
import { REDIS_URL, startTestApp, TestApp, testConfig, waitFor } from './support/test-app';
import { uploadForm } from './support/upload';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeEpisode } = require('../scripts/make-episode.js');

const USER = 'hardening-user-key-0123456789';
const OTHER = 'hardening-other-key-0123456789';
const ADMIN = 'hardening-admin-key-0123456789';
const as = (key: string) => ({ 'x-api-key': key });

const dir = mkdtempSync(join(tmpdir(), 'langflix-hardening-'));
let t: TestApp;
let redis: Redis;
beforeAll(async () => {
  const roots = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };
  Object.values(roots).forEach((d) => mkdirSync(d));
  t = await startTestApp(
    testConfig({
      ...roots,
      API_KEYS: `${USER},${OTHER}`,
      ADMIN_API_KEYS: ADMIN,
      MAX_HEAVY_JOBS_PER_CLIENT: '1',
      HEAVY_TEXT_BYTES: '20000',
      MAX_SUBTITLE_BYTES: '4096',
      MAX_OPEN_REQUESTS_PER_CLIENT: '5',
      SSE_HEARTBEAT_MS: '500',
      VIDEO_PRESET: 'ultrafast',
    }),
  );
  redis = new Redis(REDIS_URL);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fairness: one client cannot take every worker', () => {
  it('caps the large jobs one client has running; another client and small jobs go on', async () => {
    await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/pause', undefined, as(ADMIN));
    try {
      const first = await submit(t.url, { text: longText(30_000) }, as(USER));
      expect(first.status).toBe(202);
      const second = await submit(t.url, { text: longText(30_000) }, as(USER));
      expect(second.status).toBe(429);
      expect(second.body.message).toMatch(/already has 1 large jobs running.*MAX_HEAVY_JOBS_PER_CLIENT=1/);
      expect((await submit(t.url, { text: 'I will figure it out.' }, as(USER))).status).toBe(202);
      expect((await submit(t.url, { text: longText(30_000) }, as(OTHER))).status).toBe(202);
      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume', undefined, as(ADMIN));
      await waitForStatus(t.url, first.body.id, ['SUCCESS'], 30_000, 'pipelines', as(USER));
      // Its first large job done, the client may start another.
      expect((await submit(t.url, { text: longText(30_000) }, as(USER))).status).toBe(202);
    } finally {
      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume', undefined, as(ADMIN));
    }
  });
});

describe('admin keys for what destroys or stops work', () => {
  it('queue control, manual cleanup and purge need an admin key; a user key gets a 403 that says so', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/v1/queues/pipeline.features/pause', undefined],
      ['POST', '/api/v1/queues/pipeline.features/retry-failed', undefined],
      ['POST', '/api/v1/cleanup/run', { olderThanHours: 0 }],
      ['DELETE', '/api/v1/videos/0b8f6d2e-3c1a-4f57-9a41-2f0d1f9b8c11?purge=true', undefined],
    ] as const) {
      const r = await api(t.url, method, path, body, as(USER));
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.message).toMatch(/admin key \(one of ADMIN_API_KEYS\)/);
    }
    expect((await api(t.url, 'GET', '/api/v1/queues', undefined, as(USER))).status).toBe(200);
    expect((await api(t.url, 'POST', '/api/v1/queues/pipeline.features/pause', undefined, as(ADMIN))).status).toBe(200);
    expect((await api(t.url, 'POST', '/api/v1/queues/pipeline.features/resume', undefined, as(ADMIN))).status).toBe(200);
  });

  it('a manual sweep with no age limit leaves an upload in progress alone', async () => {
    const episode = makeEpisode(join(dir, 'episode'), 8, 1);
    const boundary = 'hardening-boundary';
    const head = [`--${boundary}\r\nContent-Disposition: form-data; name="subtitles"; filename="e.srt"\r\nContent-Type: text/plain\r\n\r\n`].join('');
    const srt = readFileSync(episode.srt);
    const video: Buffer = readFileSync(episode.video);
    const videoHead = `\r\n--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="e.mp4"\r\nContent-Type: video/mp4\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(
        `${t.url}/api/v1/videos`,
        { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...as(USER) } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      // Half the video, then a pause in the middle of the upload while the sweep runs, then the rest.
      req.write(head);
      req.write(srt);
      req.write(videoHead);
      req.write(video.subarray(0, video.length >> 1));
      void (async () => {
        await waitFor(async () => existsSync(join(dir, 'tmp')) && readdirSync(join(dir, 'tmp')).length > 0, 5000, 'the upload folder');
        await new Promise((r) => setTimeout(r, 300));
        const sweep = await api(t.url, 'POST', '/api/v1/cleanup/run', { olderThanHours: 0 }, as(ADMIN));
        expect(sweep.status).toBe(200);
        expect(sweep.body.removed.temp.files).toBe(0);
        req.write(video.subarray(video.length >> 1));
        req.end(tail);
      })().catch(reject);
    });
    const r = await response;
    expect(r.status).toBe(202);
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 60_000, 'videos', as(USER));
    expect(done.error).toBeNull();
  }, 90_000);
});

describe('rate limits that hold', () => {
  it('a made-up key is no identity: it is the address that counts, and one Redis key is written, not one per request', async () => {
    const limited = await startTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: '100' }));
    try {
      const statuses: number[] = [];
      for (let batch = 0; batch < 7; batch++) {
        const rs = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            fetch(`${limited.url}/api/v1/pipelines?limit=1`, { headers: { 'x-api-key': `random-${batch}-${i}-${Math.random()}` } }),
          ),
        );
        for (const r of rs) {
          statuses.push(r.status);
          await r.arrayBuffer();
        }
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
      const keys = await redis.keys(`${limited.config.keyPrefix}:throttle:*`);
      expect(keys).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('the queue dashboard is rate-limited too', async () => {
    const limited = await startTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: '30', API_KEYS: USER, ADMIN_API_KEYS: ADMIN }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await fetch(`${limited.url}/admin/queues/api/queues`, { headers: as(ADMIN) });
        statuses.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('a client may hold only so many requests open at once (live streams included)', async () => {
    await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/pause', undefined, as(ADMIN));
    const opened: { destroy(): void }[] = [];
    try {
      const r = await submit(t.url, { text: 'She gave up.' }, as(OTHER));
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          await new Promise<number>((resolve, reject) => {
            const req = httpRequest(`${t.url}/api/v1/pipelines/${r.body.id}/events`, { headers: as(OTHER) }, (res) => {
              resolve(res.statusCode ?? 0);
              res.resume();
            });
            req.on('error', reject);
            req.end();
            opened.push(req);
          }),
        );
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      // Another client is not affected.
      expect((await api(t.url, 'GET', '/api/v1/pipelines?limit=1', undefined, as(USER))).status).toBe(200);
    } finally {
      opened.forEach((req) => req.destroy());
      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume', undefined, as(ADMIN));
    }
  });
});

describe('nothing leaks', () => {
  it('a corrupt upload says what is wrong without naming server paths', async () => {
    const bad = join(dir, 'corrupt.mp4');
    writeFileSync(bad, Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42'), Buffer.alloc(5000, 7)]));
    const srt = join(dir, 'ok.srt');
    writeFileSync(srt, makeSrt(3));
    const r = await uploadForm(`${t.url}/api/v1/videos`, { video: bad, subtitles: srt }, {}, as(USER));
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^video: not a video ffmpeg can read/);
    expect(r.body.message).not.toContain(dir);
    expect(r.body.message).not.toMatch(/\/tmp\/|upload\/video/);
  });

  it('the docs need a key when keys are set; DOCS_PUBLIC=true opens them', async () => {
    const status = async (url: string, headers: Record<string, string> = {}) => {
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      return { status: res.status, challenge: res.headers.get('www-authenticate') };
    };
    expect((await status(`${t.url}/docs-json`)).status).toBe(401);
    expect((await status(`${t.url}/docs`)).challenge).toMatch(/^Basic/);
    expect((await status(`${t.url}/docs-json`, as(USER))).status).toBe(200);
    const open = await startTestApp(testConfig({ API_KEYS: USER, DOCS_PUBLIC: 'true' }));
    try {
      expect((await status(`${open.url}/docs-json`)).status).toBe(200);
      expect((await status(`${open.url}/api/v1/pipelines`)).status).toBe(401);
    } finally {
      await open.close();
    }
  });
});

describe('capacity', () => {
  it('refuses new jobs with a 503 and Retry-After once MAX_LIVE_RECORDS were created within the TTL', async () => {
    const small = await startTestApp(testConfig({ MAX_LIVE_RECORDS: '3' }));
    try {
      for (let i = 0; i < 3; i++) expect((await submit(small.url, { text: 'I will figure it out.' })).status).toBe(202);
      const r = await fetch(`${small.url}/api/v1/pipelines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Hi there.' }),
      });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect((await r.json()).message).toMatch(/MAX_LIVE_RECORDS/);
    } finally {
      await small.close();
    }
  });

  it('a subtitles part over its own limit is stopped while it streams: never more than the limit on disk', async () => {
    const boundary = 'capacity-boundary';
    const TOTAL = 20 * 1024 * 1024;
    let wrote = 0;
    let wroteWhenAnswered = -1;
    let largestOnDisk = 0;
    const onDisk = () => {
      const walk = (d: string): number =>
        readdirSync(d, { withFileTypes: true }).reduce((n: number, e) => n + (e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
      largestOnDisk = Math.max(largestOnDisk, walk(join(dir, 'tmp')));
    };
    const result = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = httpRequest(
        `${t.url}/api/v1/videos`,
        { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...as(USER) } },
        (res) => {
          wroteWhenAnswered = wrote;
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            req.destroy(); // the rest of the body is not wanted any more
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          });
        },
      );
      req.on('error', () => undefined); // the server may close the socket once it has answered
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="subtitles"; filename="big.srt"\r\n\r\n`);
      // 4 KB is the limit here; the part goes on (64 KB every 5 ms), and a video part would come after it.
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        if (wroteWhenAnswered >= 0 || req.destroyed) return;
        if (wrote >= TOTAL) return void req.end(`\r\n--${boundary}--\r\n`);
        req.write(chunk);
        wrote += chunk.length;
        onDisk();
        setTimeout(pump, 2);
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 20_000);
    });
    expect(result.status).toBe(413);
    expect(result.body.message).toBe('subtitles: the file is larger than the limit of 4096 bytes (MAX_SUBTITLE_BYTES)');
    // 20 MB sent; what reached the disk stopped at the limit (the rest was read and thrown away).
    expect(wroteWhenAnswered).toBeGreaterThan(0);
    expect(largestOnDisk).toBeLessThanOrEqual(4096 + 64 * 1024);
    await waitFor(async () => readdirSync(join(dir, 'tmp')).length === 0, 5000, 'the upload folder to go');
  });
});
