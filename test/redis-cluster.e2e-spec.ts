import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit, waitForStatus } from './support/http';
import { LocalRedisCluster } from './support/redis-cluster';
import { startTestApp, TestApp, testConfig } from './support/test-app';

let cluster: LocalRedisCluster;
let t: TestApp;
beforeAll(async () => {
  cluster = new LocalRedisCluster();
  const nodes = await cluster.start();
  // REDIS_URL points nowhere: everything must go through the cluster.
  t = await startTestApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: nodes }));
}, 60_000);
afterAll(async () => {
  await t?.app.close();
  await cluster?.stop();
});

describe('on a three-master Redis Cluster', () => {
  it('runs pipelines end to end, short and long (stage threads), and answers health and queue counts', async () => {
    for (const text of ['I will figure it out.', 'She put her career on hold. '.repeat(400)]) {
      const r = await submit(t.url, { text });
      expect(r.status).toBe(202);
      const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 30_000);
      expect({ status: done.status, error: done.error }).toEqual({ status: 'SUCCESS', error: null });
      expect(done.result.expressions.length).toBeGreaterThan(0);
    }
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const queues = await (await fetch(`${t.url}/api/v1/queues`)).json();
    expect(queues.find((q: any) => q.name === 'pipeline.postprocess').counts.failed).toBe(0);
  });
});
