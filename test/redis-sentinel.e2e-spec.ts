import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, submit, waitForStatus } from './support/http';
import { longText } from './support/fixtures';
import { RedisKeys } from '../src/redis/redis-keys';
import { freePort } from './support/processes';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

const dir = mkdtempSync(join(tmpdir(), 'langflix-sentinel-'));
const procs: ChildProcess[] = [];
let t: TestApp;
let sentinelPort = 0;

let replicaPorts: number[] = [];

const answers = (port: number, ...args: string[]) => {
  try {
    return execFileSync('redis-cli', ['-p', String(port), ...args]).toString();
  } catch {
    return '';
  }
};

/**
 * The topology the README recommends: a master and two replicas, each refusing writes while it has no replica
 * in sync (min-replicas-to-write), so that a demoted master cannot take writes that the failover would lose.
 */
// prettier-ignore
const redisServer = (port: number, ...extra: string[]) =>
  procs.push(spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', mkdtempSync(join(dir, 'node-')),
    '--min-replicas-to-write', '1', '--min-replicas-max-lag', '10', ...extra,
  ], { stdio: 'ignore' }));
const masterAddress = () => answers(sentinelPort, 'sentinel', 'get-master-addr-by-name', 'langflix-master');

beforeAll(async () => {
  const master = await freePort();
  redisServer(master);
  await waitFor(async () => answers(master, 'ping').includes('PONG'), 10_000, 'the master');
  replicaPorts = [await freePort(), await freePort()];
  for (const port of replicaPorts) {
    redisServer(port, '--replicaof', '127.0.0.1', String(master));
    await waitFor(async () => answers(port, 'info', 'replication').includes('master_link_status:up'), 10_000, 'a replica to sync');
  }
  sentinelPort = await freePort();
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor langflix-master 127.0.0.1 ${master} 1\nsentinel down-after-milliseconds langflix-master 2000\n`,
  );
  procs.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
  await waitFor(async () => masterAddress().includes(String(master)), 10_000, 'the sentinel');
  await waitFor(
    async () => replicaPorts.every((p) => answers(sentinelPort, 'sentinel', 'replicas', 'langflix-master').includes(String(p))),
    20_000,
    'the sentinel to see the replicas',
  );
  // REDIS_URL points nowhere: everything must go through the sentinel.
  t = await startTestApp(
    testConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'langflix-master' }),
  );
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

  it('follows a failover while a pipeline runs: a replica becomes master, and the pipeline and the next ones finish', async () => {
    const running = await submit(t.url, { text: longText(1_000_000) });
    expect(running.status).toBe(202);
    await waitFor(
      async () => (await api(t.url, 'GET', `/api/v1/pipelines/${running.body.id}`)).body.stages[1].status !== 'PENDING',
      30_000,
      'stage 2 to start',
    );

    expect(answers(sentinelPort, 'sentinel', 'failover', 'langflix-master')).toMatch(/OK/);
    const promoted = await waitFor(async () => replicaPorts.find((p) => masterAddress().includes(String(p))), 30_000, 'a replica to be promoted');
    expect(answers(promoted, 'role')).toMatch(/^master/);

    const done = await waitForStatus(t.url, running.body.id, ['SUCCESS', 'FAILURE'], 30_000).catch(async (e) => {
      console.log(
        'DEBUG',
        JSON.stringify((await api(t.url, 'GET', `/api/v1/pipelines/${running.body.id}`)).body.stages),
        JSON.stringify((await api(t.url, 'GET', '/api/v1/queues')).body),
      );
      throw e;
    });
    expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCESS', error: null });
    const after = await submit(t.url, { text: 'We ran out of coffee this morning.' });
    expect((await waitForStatus(t.url, after.body.id, ['SUCCESS', 'FAILURE'], 30_000)).status).toBe('SUCCESS');
    // The records are on the new master (the old one is a replica now).
    expect(answers(promoted, 'exists', new RedisKeys(t.config.keyPrefix).record(after.body.id)).trim()).toBe('1');
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  }, 150_000);
});
