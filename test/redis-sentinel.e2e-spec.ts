import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit, waitForStatus } from './support/http';
import { freePort } from './support/processes';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

const dir = mkdtempSync(join(tmpdir(), 'langflix-sentinel-'));
const procs: ChildProcess[] = [];
let t: TestApp;
let sentinelPort = 0;

const answers = (port: number, ...args: string[]) => {
  try {
    return execFileSync('redis-cli', ['-p', String(port), ...args]).toString();
  } catch {
    return '';
  }
};

beforeAll(async () => {
  const master = await freePort();
  procs.push(spawn('redis-server', ['--port', String(master), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
  await waitFor(async () => answers(master, 'ping').includes('PONG'), 10_000, 'the master');
  sentinelPort = await freePort();
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor langflix-master 127.0.0.1 ${master} 1\n`);
  procs.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
  await waitFor(async () => answers(sentinelPort, 'sentinel', 'get-master-addr-by-name', 'langflix-master').includes(String(master)), 10_000, 'the sentinel');
  // REDIS_URL points nowhere: everything must go through the sentinel.
  t = await startTestApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'langflix-master' }));
}, 60_000);
afterAll(async () => {
  await t?.app.close();
  procs.forEach((p) => p.kill('SIGTERM'));
  rmSync(dir, { recursive: true, force: true });
});

describe('through Redis Sentinel', () => {
  it('finds the master from the sentinel and runs pipelines', async () => {
    const r = await submit(t.url, { text: 'I will figure it out.' });
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE']);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCESS', error: null });
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
