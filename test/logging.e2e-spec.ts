import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, waitForStatus } from './support/http';
import { AppProcess, freePort, startProcess, stopProcess } from './support/processes';
import { deleteKeys, REDIS_URL, waitFor } from './support/test-app';
import { uploadForm } from './support/upload';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeEpisode } = require('../scripts/make-episode.js');

const KEY = `logging-test-key-${randomUUID()}`;
const auth = { Authorization: `Bearer ${KEY}` };
const prefix = `test-${randomUUID().slice(0, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'langflix-logging-'));
const roots = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };

let apiProcess: AppProcess;
let worker: AppProcess;
let base = '';

/** A process's output as log records; every line must be one JSON object. */
function records(p: AppProcess): any[] {
  return p
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** The first record of `p` that `match` accepts, waiting for the process's output to arrive. */
const logged = (p: AppProcess, match: (record: any) => boolean, what: string) => waitFor(async () => records(p).find(match), 5000, what);

beforeAll(async () => {
  Object.values(roots).forEach((d) => mkdirSync(d, { recursive: true }));
  const env = {
    ...roots,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    API_KEYS: KEY,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    RATE_LIMIT_PER_MINUTE: '0',
    ANALYSIS_THREADS: '1',
    VIDEO_PRESET: 'ultrafast',
    VIDEO_SHORTS_PRESET: 'ultrafast',
    VIDEO_RETRIES: '0',
    CLEANUP_ENABLED: 'false',
  };
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  apiProcess = await startProcess({ ...env, APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1' }, /listening on/);
  worker = await startProcess({ ...env, APP_ROLE: 'worker' }, /worker started/);
}, 60_000);

afterAll(async () => {
  await Promise.all([stopProcess(apiProcess), stopProcess(worker)]);
  await deleteKeys(REDIS_URL, prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('structured logs (api and worker as separate processes, LOG_FORMAT=json)', () => {
  it("the caller's X-Request-Id is on the request line and on every stage of the pipeline it started, in the worker process", async () => {
    const requestId = `req-${randomUUID()}`;
    const r = await api(
      base,
      'POST',
      '/api/v1/pipelines',
      { text: 'We ran out of time, so let us call it a day and figure it out tomorrow.' },
      { ...auth, 'X-Request-Id': requestId },
    );
    expect(r.status).toBe(202);
    expect(r.headers.get('x-request-id')).toBe(requestId);
    expect((await waitForStatus(base, r.body.id, ['SUCCESS', 'FAILURE'], 30_000, 'pipelines', auth)).status).toBe('SUCCESS');

    const request = await logged(apiProcess, (l) => l.requestId === requestId && l.msg === 'request completed', 'the request line');
    expect(request).toMatchObject({ level: 'info', role: 'api', req: { method: 'POST', url: '/api/v1/pipelines' }, res: { statusCode: 202 } });
    expect(typeof request.responseTime).toBe('number');
    expect(new Date(request.time).toISOString()).toBe(request.time);

    // The record turns SUCCESS as the last stage ends; its log line may reach the pipe a moment later.
    const stageLines = () => records(worker).filter((l) => l.requestId === requestId && l.msg === 'stage done');
    await waitFor(async () => stageLines().length >= 4, 5000, 'the four stage lines').catch(() => undefined);
    const stages = stageLines();
    expect(stages.map((l) => l.stage)).toEqual(['preprocess', 'features', 'inference', 'postprocess']);
    for (const l of stages) {
      expect(l).toMatchObject({
        level: 'info',
        role: 'worker',
        pipelineId: r.body.id,
        attempt: 1,
        queue: `pipeline.${l.stage}`,
        jobId: `${r.body.id}:${stages.indexOf(l) + 1}`,
      });
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
    }
    // LOG_LEVEL=debug: the starts are logged too, with the same context.
    expect(records(worker).filter((l) => l.requestId === requestId && l.msg === 'stage started')).toHaveLength(4);
  });

  it('gives a request without a usable X-Request-Id a UUID of its own, and never logs the API key', async () => {
    const plain = await api(base, 'GET', '/api/v1/pipelines', undefined, auth);
    const forged = await api(base, 'GET', '/api/v1/pipelines', undefined, { ...auth, 'X-Request-Id': `x"}${'a'.repeat(200)}` });
    const bad = await api(base, 'POST', '/api/v1/pipelines', { text: '' }, { 'X-API-Key': KEY });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const r of [plain, forged, bad]) expect(r.headers.get('x-request-id')).toMatch(uuid);
    expect(bad.status).toBe(400);
    const line = await logged(apiProcess, (l) => l.requestId === bad.headers.get('x-request-id'), 'the 400 line');
    expect(line).toMatchObject({ level: 'warn', msg: 'request completed', res: { statusCode: 400 } });
    expect(apiProcess.output()).not.toContain(KEY);
    expect(worker.output()).not.toContain(KEY);
  });

  it("a video job carries the upload's request id through its steps and through the analysis pipeline it starts", async () => {
    const episode = makeEpisode(join(dir, 'episode'), 12, 3);
    const requestId = `upload-${randomUUID()}`;
    const r = await uploadForm(
      `${base}/api/v1/videos`,
      { video: episode.video, subtitles: episode.srt },
      { showName: 'Logs', episodeName: 'E01', longForm: 'false', shorts: 'false' },
      { ...auth, 'X-Request-Id': requestId },
    );
    expect(r.status).toBe(202);
    const done = await waitForStatus(base, r.body.id, ['SUCCESS', 'FAILURE'], 120_000, 'videos', auth);
    expect(done.error).toBeNull();

    const mine = records(worker).filter((l) => l.requestId === requestId);
    // prettier-ignore
    expect(mine.filter((l) => l.videoId === r.body.id && /^step done/.test(l.msg)).map((l) => l.step)).toEqual(['probe', 'analysis', 'clips', 'slides', 'assembly', 'long-form', 'shorts']);
    const analysis = mine.find((l) => l.msg === 'analysis pipeline started');
    expect(analysis.pipelineId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.filter((l) => l.pipelineId === analysis.pipelineId && l.msg === 'stage done').map((l) => l.stage)).toEqual([
      'preprocess',
      'features',
      'inference',
      'postprocess',
    ]);
  }, 150_000);
});

describe('pretty logs for development', () => {
  it('NODE_ENV=development prints readable lines instead of JSON', async () => {
    const port = await freePort();
    const p = await startProcess(
      {
        ...roots,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        NODE_ENV: 'development',
        APP_ROLE: 'api',
        PORT: String(port),
        HOST: '127.0.0.1',
        RATE_LIMIT_PER_MINUTE: '0',
      },
      /listening on/,
    );
    try {
      const r = await api(`http://127.0.0.1:${port}`, 'GET', '/api/v1/pipelines', undefined, { 'X-Request-Id': 'pretty-1' });
      expect(r.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the pretty transport writes from its own thread
      expect(p.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Bootstrap\] listening on http:\/\/127\.0\.0\.1:\d+/m);
      expect(p.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request completed .*"requestId":"pretty-1"/m);
      expect(
        p
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{')),
      ).toEqual([]);
    } finally {
      await stopProcess(p);
    }
  });
});
