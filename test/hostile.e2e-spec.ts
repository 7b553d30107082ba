import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(testConfig({ MAX_TEXT_BYTES: '100000', RATE_LIMIT_PER_MINUTE: '300' }));
});
afterAll(async () => t?.close());

const post = (path: string, body: string, contentType: string) => fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('hostile input gets the right 4xx and leaves the service healthy', () => {
  it('oversized bodies', async () => {
    const r = await post('/api/v1/pipelines', JSON.stringify({ text: 'a'.repeat(400_000) }), 'application/json');
    expect(r.status).toBe(413);
    expect(await r.text()).not.toMatch(/at .*\.js|node_modules|\/work\//);
  });

  it('deeply nested JSON', async () => {
    const deep = `{"text":"I gave up.","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await post('/api/v1/pipelines', deep, 'application/json');
    expect(r.status).toBe(400);
    expect((await r.json()).message).toMatch(/nested deeper than 32 levels/);
  });

  it('wrong content types: 415 saying to send JSON', async () => {
    expect((await post('/api/v1/pipelines', 'text=I gave up.', 'text/plain')).status).toBe(415);
    expect((await post('/api/v1/pipelines', '<text>I gave up.</text>', 'application/xml')).status).toBe(415);
    expect((await post('/api/v1/pipelines', 'text=hi', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('/api/v1/pipelines', '{"text": "unterminated', 'application/json')).status).toBe(400);
  });

  it('path traversal and non-ids in every path parameter', async () => {
    const paths = [
      '/api/v1/pipelines/..%2F..%2Fetc%2Fpasswd',
      '/api/v1/pipelines/%00',
      '/api/v1/pipelines/1',
      '/api/v1/pipelines/6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      '/api/v1/pipelines/not-a-uuid/stages/1',
      '/api/v1/pipelines/not-a-uuid/events',
      '/api/v1/videos/..%2F..',
      '/api/v1/videos/%2E%2E%2Fx/files',
      '/api/v1/slides/%252e%252e',
      '/api/v1/videos/x%20y/expressions',
    ];
    for (const path of paths) expect([path, (await fetch(`${t.url}${path}`)).status]).toEqual([path, 400]);
    for (const path of ['/api/v1/queues/..%2F..%2Fx/pause', '/api/v1/queues/%00/resume'])
      expect((await fetch(`${t.url}${path}`, { method: 'POST' })).status).toBe(404);
    expect([400, 404]).toContain((await fetch(`${t.url}/api/v1/files/..%2F..%2F..%2Fetc%2Fpasswd`)).status);
  });

  it('unicode oddities are text like any other', async () => {
    const odd = 'I will \u202Efigure\u202C it out. \u200B She put her career on hold. 👍🏽 Cafe\u0301 na\u00EFve \uD800 done.';
    const r = await submit(t.url, { text: odd });
    expect(r.status).toBe(202);
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    expect((await submit(t.url, { text: 'abc\u0000def' })).status).toBe(400);
  });

  it('nothing in Redis is corrupted: the records all still read', async () => {
    const list = await api(t.url, 'GET', '/api/v1/pipelines?limit=100');
    expect(list.status).toBe(200);
    for (const record of list.body) expect(record).toMatchObject({ id: expect.any(String), status: expect.any(String), stages: expect.any(Array) });
  });

  it('a burst beyond the rate limit is answered 429 with Retry-After, and the service stays healthy', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let batch = 0; batch < 8; batch++) {
      const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${t.url}/api/v1/pipelines?limit=1`)));
      for (const r of responses) {
        statuses.push(r.status);
        if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
        await r.arrayBuffer();
      }
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(300);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(100);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    // A made-up key is not another client (no keys are configured here): it gets no fresh allowance.
    const other = await api(t.url, 'GET', '/api/v1/pipelines?limit=1', undefined, { 'x-api-key': 'a-different-client-key-123' });
    expect(other.status).toBe(429);
  });
});
