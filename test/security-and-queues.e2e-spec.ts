import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../src/config/app-config';
import { validateEnv } from '../src/config/env.schema';
import { StageRunner } from '../src/pipeline/stages/stage-runner';
import { api, submit, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

const KEY = 'test-key-0123456789abcdef';
const ADMIN = 'test-admin-key-0123456789abcdef';

describe('API keys, security headers, CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(testConfig({ API_KEYS: `${KEY},another-key-0123456789`, ADMIN_API_KEYS: ADMIN, CORS_ORIGINS: 'https://app.example' }));
  });
  afterAll(async () => t?.close());

  it('refuses /api without a key or with a wrong one, saying how to send one', async () => {
    const none = await api(t.url, 'GET', '/api/v1/pipelines');
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(/Authorization: Bearer <key>.*X-API-Key/);
    expect((await api(t.url, 'GET', '/api/v1/pipelines', undefined, { authorization: 'Bearer wrong-key-0123456789' })).status).toBe(401);
    expect((await api(t.url, 'GET', '/api/v1/pipelines', undefined, { 'x-api-key': `${KEY}x` })).status).toBe(401);
  });

  it('accepts a key as Bearer token or X-API-Key, any of the configured ones', async () => {
    expect((await api(t.url, 'GET', '/api/v1/pipelines', undefined, { authorization: `Bearer ${KEY}` })).status).toBe(200);
    expect((await api(t.url, 'GET', '/api/v1/queues', undefined, { 'x-api-key': 'another-key-0123456789' })).status).toBe(200);
  });

  it('puts the queue dashboard behind an admin key, with a Basic-auth prompt for browsers', async () => {
    const open = await fetch(`${t.url}/admin/queues`);
    expect(open.status).toBe(401);
    expect(open.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const asUser = await fetch(`${t.url}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`ops:${KEY}`).toString('base64')}` } });
    expect(asUser.status).toBe(403);
    expect((await asUser.json()).message).toMatch(/admin key.*ADMIN_API_KEYS/);
    const basic = `Basic ${Buffer.from(`ops:${ADMIN}`).toString('base64')}`;
    const page = await fetch(`${t.url}/admin/queues`, { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-powered-by')).toBeNull();
    expect(await page.text()).toMatch(/<html/i);
    const queues = await (await fetch(`${t.url}/admin/queues/api/queues`, { headers: { 'x-api-key': ADMIN } })).json();
    // prettier-ignore
    expect(queues.queues.map((q: any) => q.name).sort()).toEqual(['pipeline.features', 'pipeline.inference', 'pipeline.postprocess', 'pipeline.preprocess', 'video.render', 'video.slides']);
  });

  it('keeps /metrics open to scrapers by default', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(200);
  });

  it('keeps /health open, and sends security headers and CORS for the configured origin only', async () => {
    const health = await fetch(`${t.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    const preflight = (origin: string) =>
      fetch(`${t.url}/api/v1/pipelines`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    expect((await preflight('https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('listens everywhere only when keys protect the API', () => {
    expect(new AppConfig(validateEnv({})).host).toBe('127.0.0.1');
    expect(new AppConfig(validateEnv({ API_KEYS: KEY })).host).toBe('0.0.0.0');
    expect(new AppConfig(validateEnv({ HOST: '0.0.0.0' })).host).toBe('0.0.0.0');
    expect(() => validateEnv({ API_KEYS: 'short' })).toThrow(/API_KEYS must be comma-separated keys of at least 16 characters/);
  });
});

describe('queue control', () => {
  let t: TestApp;
  let broken = true;
  class SometimesBroken extends StageRunner {
    override async run(...args: Parameters<StageRunner['run']>): Promise<unknown> {
      if (broken && args[0] === 2) throw new Error('feature store offline (injected)');
      return super.run(...args);
    }
  }
  beforeAll(async () => {
    t = await startTestApp(testConfig({ STAGE_RETRIES: '0' }), (c) => new SometimesBroken(c));
  });
  afterAll(async () => t?.close());

  it('lists every queue with its counts', async () => {
    const r = await api(t.url, 'GET', '/api/v1/queues');
    // prettier-ignore
    expect(r.body.map((q: any) => q.name)).toEqual(['pipeline.preprocess', 'pipeline.features', 'pipeline.inference', 'pipeline.postprocess', 'video.render', 'video.slides']);
    expect(r.body[0]).toMatchObject({ paused: false, counts: { waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) } });
  });

  it('pauses and resumes a queue', async () => {
    expect((await api(t.url, 'POST', '/api/v1/queues/pipeline.inference/pause')).body).toEqual({ name: 'pipeline.inference', paused: true });
    expect((await api(t.url, 'GET', '/api/v1/queues')).body.find((q: any) => q.name === 'pipeline.inference').paused).toBe(true);
    expect((await api(t.url, 'POST', '/api/v1/queues/pipeline.inference/resume')).body.paused).toBe(false);
    expect((await api(t.url, 'POST', '/api/v1/queues/nope/pause')).status).toBe(404);
  });

  it('retries the failed jobs of a queue, reopening their pipelines', async () => {
    const r = await submit(t.url, { text: 'I will figure it out.' });
    expect((await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS'])).status).toBe('FAILURE');
    broken = false;
    const retried = await api(t.url, 'POST', '/api/v1/queues/pipeline.features/retry-failed');
    expect(retried.body).toEqual({ name: 'pipeline.features', retried: 1 });
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    expect(done.result.expressions[0].expression).toBe('figure out');
  });

  it('exposes Prometheus metrics: jobs per queue and event, queue depth, pipeline latency, HTTP, process', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}()|.+*?[\]\\^$]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('langflix_jobs_total{queue="pipeline.preprocess",event="completed"}')).toBeGreaterThanOrEqual(1);
    expect(value('langflix_jobs_total{queue="pipeline.features",event="failed"}')).toBe(1);
    expect(value('langflix_jobs_total{queue="pipeline.postprocess",event="completed"}')).toBe(1);
    expect(value('langflix_pipeline_latency_seconds_count')).toBe(1);
    expect(value('langflix_queue_jobs{queue="pipeline.features",state="failed"}')).toBe(0);
    expect(value('langflix_http_requests_total{method="POST",route="/api/v1/pipelines",status="202"}')).toBe(1);
    expect(text).toMatch(/^langflix_job_duration_seconds_bucket\{le="0.1",queue="pipeline.inference",outcome="completed"\} \d+$/m);
    expect(text).toMatch(/^langflix_process_cpu_user_seconds_total \S+$/m);
  });
});
