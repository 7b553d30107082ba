import Redis from 'ioredis';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { REDIS_URL, startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

let t: TestApp;
let redis: Redis;
beforeAll(async () => {
  t = await startTestApp(testConfig({ SSE_HEARTBEAT_MS: '300' }));
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await t?.close();
});

interface RawStream {
  status: number;
  /** Every line of the stream, comments included, as received. */
  lines: string[];
  ended: boolean;
  close(): void;
  done: Promise<void>;
}

/** Opens an SSE stream and keeps every line it sends. */
function open(path: string, headers: Record<string, string> = {}): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${t.url}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buf = '';
      let finish: () => void = () => undefined;
      const stream: RawStream = {
        status: res.statusCode ?? 0,
        lines: [],
        ended: false,
        close: () => req.destroy(),
        done: new Promise((r) => (finish = r)),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        stream.lines.push(...parts);
      });
      res.on('end', () => {
        stream.ended = true;
        finish();
      });
      res.on('close', () => finish());
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

const events = (s: RawStream) =>
  s.lines.reduce<{ id: number; data: any }[]>((out, line, i) => {
    if (line.startsWith('data: ')) out.push({ id: Number(s.lines[i - 2]?.replace('id: ', '')), data: JSON.parse(line.slice(6)) });
    return out;
  }, []);

describe('live status streams', () => {
  it('send a heartbeat comment while quiet, and events with increasing ids that a client resumes from', async () => {
    await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/pause');
    try {
      const r = await submit(t.url, { text: 'I will figure it out.' });
      const stream = await open(`/api/v1/pipelines/${r.body.id}/events`);
      expect(stream.status).toBe(200);
      await waitFor(async () => stream.lines.filter((l) => l === ': heartbeat').length >= 2, 5000, 'two heartbeats');
      expect(events(stream)).toHaveLength(1); // the snapshot: PENDING, nothing else happened
      const first = events(stream)[0];
      expect(first.data).toMatchObject({ status: 'PENDING', version: first.id });
      stream.close();

      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume');
      await waitForStatus(t.url, r.body.id, ['SUCCESS']);
      // Reconnecting with the last id it saw, a client gets what is newer: here, the final state.
      const resumed = await open(`/api/v1/pipelines/${r.body.id}/events`, { 'Last-Event-ID': String(first.id) });
      await resumed.done;
      const after = events(resumed);
      expect(after).toHaveLength(1);
      expect(after[0].id).toBeGreaterThan(first.id);
      expect(after[0].data.status).toBe('SUCCESS');
      // Already up to date: nothing is sent again, and the stream ends.
      const upToDate = await open(`/api/v1/pipelines/${r.body.id}/events`, { 'Last-Event-ID': String(after[0].id) });
      await upToDate.done;
      expect(events(upToDate)).toEqual([]);
    } finally {
      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume');
    }
  });

  it('ends when the record disappears (expired, or lost with its data)', async () => {
    await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/pause');
    try {
      const r = await submit(t.url, { text: 'She gave up.' });
      const stream = await open(`/api/v1/pipelines/${r.body.id}/events`);
      await waitFor(async () => events(stream).length === 1, 5000, 'the snapshot');
      await redis.del(`${t.config.keyPrefix}:status:${r.body.id}`);
      await Promise.race([stream.done, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end')), 3000))]);
      expect(stream.ended).toBe(true);
    } finally {
      await api(t.url, 'POST', '/api/v1/queues/pipeline.preprocess/resume');
    }
  });
});
