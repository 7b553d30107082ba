import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_CLIENT } from '../src/redis/redis.module';
import { api, submit, waitForStatus } from './support/http';
import { longText } from './support/fixtures';
import { PrivateRedis } from './support/private-redis';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

let redis: PrivateRedis;
let t: TestApp;
const hogs: ChildProcess[] = [];
beforeAll(async () => {
  redis = await PrivateRedis.start();
  // Locks shorter than the outages (3 s and a restart), so that they lapse while Redis is away; not shorter:
  // on a busy shared machine, handing a 1 MB text's stage result on blocks the event loop for over a second,
  // and a 1 s lock then lapses with Redis up, which is not what these tests are about.
  t = await startTestApp(testConfig({ REDIS_URL: redis.url, STAGE_LOCK_MS: '3000', STAGE_STALLED_CHECK_MS: '500' }));
});
afterEach(() => void hogs.splice(0).forEach((h) => h.kill('SIGKILL')));
afterAll(async () => {
  await t?.app.close();
  await redis?.destroy();
});

/** Two busy processes: a slow machine, where timers fire late and reconnects come in any order. */
const loadTheMachine = () => {
  for (let i = 0; i < 2; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
};

const stageStarted = (id: string, stage: number) =>
  waitFor(async () => (await api(t.url, 'GET', `/api/v1/pipelines/${id}`)).body.stages[stage - 1].status !== 'PENDING', 60_000, `stage ${stage} to start`);

describe('Redis stopped and started again', () => {
  it('health turns 503 within a second while Redis is down; the pipeline in flight still finishes after it is back', async () => {
    expect((await api(t.url, 'GET', '/health')).status).toBe(200);
    const r = await submit(t.url, { text: longText(1_000_000) });
    await stageStarted(r.body.id, 2);

    await redis.down();
    const started = Date.now();
    const down = await api(t.url, 'GET', '/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect(Date.now() - started).toBeLessThan(1500);
    // The API answers rather than hanging while Redis is away.
    const during = await api(t.url, 'GET', `/api/v1/pipelines/${r.body.id}`);
    expect(during.status).toBe(503);
    expect(during.body.message).toMatch(/Redis\) is unavailable/);

    await new Promise((res) => setTimeout(res, 1500));
    await redis.up();
    await waitFor(async () => (await api(t.url, 'GET', '/health')).status === 200, 15_000, 'health to recover');
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 60_000);
    expect(done.status).toBe('SUCCESS');

    const next = await submit(t.url, { text: 'I will figure it out.' });
    expect((await waitForStatus(t.url, next.body.id, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
  });

  it('every route answers within a couple of seconds while Redis is down, and a command given up on is not applied later', async () => {
    await redis.down();
    try {
      const timed = async (method: string, path: string) => {
        const started = Date.now();
        const res = await fetch(`${t.url}${path}`, { method, signal: AbortSignal.timeout(10_000) });
        const body = await res.text();
        return { status: res.status, ms: Date.now() - started, body };
      };
      for (const [method, path, status] of [
        ['GET', '/api/v1/queues', 503],
        ['POST', '/api/v1/queues/pipeline.features/pause', 503],
        ['GET', '/admin/queues/api/queues', 503],
        ['GET', '/metrics', 200],
        ['GET', '/health/ready', 503],
        ['GET', '/api/v1/pipelines?limit=1', 503],
      ] as const) {
        const r = await timed(method, path);
        expect(r.status, `${method} ${path}`).toBe(status);
        expect(r.ms, `${method} ${path}`).toBeLessThan(2500);
        if (path === '/metrics') expect(r.body).toMatch(/^langflix_redis_up 0$/m);
      }
    } finally {
      await redis.up();
    }
    await waitFor(async () => (await api(t.url, 'GET', '/health')).status === 200, 15_000, 'health to recover');
    await new Promise((res) => setTimeout(res, 1000));
    const features = (await api(t.url, 'GET', '/api/v1/queues')).body.find((q: any) => q.name === 'pipeline.features');
    expect(features.paused).toBe(false);
    const next = await submit(t.url, { text: 'I will figure it out.' });
    expect((await waitForStatus(t.url, next.body.id, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
  });

  it.each([1, 2, 3])(
    'under CPU load, outage %i of Redis for a few seconds fails no pipeline in flight',
    async () => {
      loadTheMachine();
      const ids = [(await submit(t.url, { text: longText(1_000_000) })).body.id];
      for (let i = 0; i < 10; i++) ids.push((await submit(t.url, { text: longText(2000 + i * 700) })).body.id);
      await stageStarted(ids[0], 2);
      await redis.down();
      await new Promise((res) => setTimeout(res, 3000));
      await redis.up();
      for (const id of ids) {
        const done = await waitForStatus(t.url, id, ['SUCCESS', 'FAILURE'], 90_000);
        expect(done.error, id).toBeNull();
        expect(done.status).toBe('SUCCESS');
      }
    },
    120_000,
  );

  it("a stage whose status writes fail while Redis is out of reach of this process (Bull's connections are fine) waits for it instead of using up its retries", async () => {
    // The order in which connections come back after an outage is not fixed: Bull's may be back well before
    // the status store's. Here only the status store's connection goes, for three seconds, mid-stage: with a
    // retry delay of 100 ms, counting those failures as attempts would fail the pipeline within a second.
    loadTheMachine();
    const commands = t.app.get<Redis>(REDIS_CLIENT);
    const r = await submit(t.url, { text: longText(600_000) });
    await stageStarted(r.body.id, 2);
    commands.disconnect(false);
    await new Promise((res) => setTimeout(res, 3000));
    await commands.connect();
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 60_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCESS');
    expect(done.stages.every((s: any) => s.status === 'SUCCESS')).toBe(true);
  }, 90_000);
});
