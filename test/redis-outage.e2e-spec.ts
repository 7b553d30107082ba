import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { longText } from './support/fixtures';
import { PrivateRedis } from './support/private-redis';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

let redis: PrivateRedis;
let t: TestApp;
beforeAll(async () => {
  redis = await PrivateRedis.start();
  t = await startTestApp(testConfig({ REDIS_URL: redis.url, STAGE_LOCK_MS: '1000', STAGE_STALLED_CHECK_MS: '500' }));
});
afterAll(async () => {
  await t?.app.close();
  await redis?.destroy();
});

describe('Redis stopped and started again', () => {
  it('health turns 503 within a second while Redis is down; the pipeline in flight still finishes after it is back', async () => {
    expect((await api(t.url, 'GET', '/health')).status).toBe(200);
    const r = await submit(t.url, { text: longText(1_000_000) });
    await waitFor(async () => (await api(t.url, 'GET', `/api/v1/pipelines/${r.body.id}`)).body.stages[1].status !== 'PENDING', 20_000, 'stage 2 to start');

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
});
