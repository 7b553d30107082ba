import { randomUUID } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { AppProcess, freePort, startProcess, stopProcess } from './support/processes';
import { deleteKeys, REDIS_URL, waitFor } from './support/test-app';

const running: AppProcess[] = [];
let prefix = '';
afterEach(async () => {
  await Promise.all(running.splice(0).map(stopProcess));
  await deleteKeys(REDIS_URL, prefix);
});

async function start(env: Record<string, string>, ready: RegExp): Promise<AppProcess> {
  const p = await startProcess({ REDIS_URL, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: '0', ANALYSIS_THREADS: '1', ...env }, ready);
  running.push(p);
  return p;
}

/** Opens an SSE stream and reads it until its first event (or an error event, or the end). */
function firstEvent(url: string, agent: Agent): Promise<'status' | 'error' | 'ended' | 'refused'> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve('refused');
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        if (/^event: error$/m.test(buf)) resolve('error');
        else if (/^event: status$/m.test(buf)) resolve('status');
        else return;
        req.destroy();
      });
      res.on('end', () => resolve('ended'));
    });
    req.on('error', () => resolve('refused'));
    req.end();
  });
}

describe('a fresh API process', () => {
  it('serves 500 live streams opened at once, each with its first event (no subscriber race)', async () => {
    prefix = `test-${randomUUID().slice(0, 8)}`;
    const port = await freePort();
    // The worker takes the jobs; the API process below has never streamed anything yet. 500 streams of 500
    // pipelines: 500 subscriptions asked for at once while the shared subscriber connection starts.
    await start({ APP_ROLE: 'worker' }, /worker started/);
    await start({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', MAX_OPEN_REQUESTS_PER_CLIENT: '0' }, /listening on/);
    const base = `http://127.0.0.1:${port}`;
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) ids.push((await submit(base, { text: `I will figure it out, number ${i}.` })).body.id);
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const outcomes = await Promise.all(Array.from({ length: 500 }, (_, i) => firstEvent(`${base}/api/v1/pipelines/${ids[i % ids.length]}/events`, agent)));
    const counts = outcomes.reduce<Record<string, number>>((c, o) => ({ ...c, [o]: (c[o] ?? 0) + 1 }), {});
    expect(counts).toEqual({ status: 500 });
    agent.destroy();
  }, 90_000);
});

describe('health that tells the truth', () => {
  it('with no worker running, an API is not ready and a new job says why it waits; a worker starting makes it ready', async () => {
    prefix = `test-${randomUUID().slice(0, 8)}`;
    const port = await freePort();
    await start({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1' }, /listening on/);
    const base = `http://127.0.0.1:${port}`;
    expect((await api(base, 'GET', '/health')).status).toBe(200); // alive: it is not the API's fault
    const ready = await api(base, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.workers).toMatchObject({ status: 'down', message: expect.stringMatching(/^no worker is running for pipeline\.preprocess/) });

    const r = await submit(base, { text: 'I will figure it out.' });
    expect(r.status).toBe(202);
    expect(r.body.stages[0].message).toBe('waiting: no worker is running for pipeline.preprocess; start one (APP_ROLE=worker or all)');

    await start({ APP_ROLE: 'worker' }, /worker started/);
    await waitFor(async () => (await api(base, 'GET', '/health/ready')).status === 200, 15_000, 'readiness once a worker beats');
    expect((await waitForStatus(base, r.body.id, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
  }, 60_000);
});
