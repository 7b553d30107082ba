import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOST_JOB_MESSAGE } from '../src/jobs/lost-jobs';
import { api, submit, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

let t: TestApp;
const queue = (name: string) => t.app.get<Queue>(getQueueToken(name), { strict: false });
const record = async (id: string) => (await api(t.url, 'GET', `/api/v1/pipelines/${id}`)).body;

beforeAll(async () => {
  t = await startTestApp(testConfig({ JOB_WATCHDOG_INTERVAL_MS: '300', JOB_WATCHDOG_GRACE_MS: '1500' }));
});
afterAll(async () => t?.close());

describe('lost-job watchdog', () => {
  it('fails a pipeline whose queued job was removed by hand, and leaves one that is only waiting alone', async () => {
    const preprocess = queue('pipeline.preprocess');
    await preprocess.pause(); // both jobs wait in the queue
    const lost = (await submit(t.url, { text: 'We ran out of coffee this morning.' })).body.id;
    const waiting = (await submit(t.url, { text: 'Let us call it a day.' })).body.id;
    const job = await preprocess.getJob(`${lost}:1`);
    expect(await job!.getState()).toBe('paused');
    await job!.remove(); // what the dashboard's Delete does

    const failed = await waitFor(async () => ((await record(lost)).status === 'FAILURE' ? record(lost) : undefined), 15_000, 'the watchdog');
    expect(failed.error).toBe(LOST_JOB_MESSAGE);
    expect(failed.stages[0]).toMatchObject({ status: 'FAILURE', error: LOST_JOB_MESSAGE });

    // Quiet for longer than the grace period, but its job is there: untouched.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await record(waiting)).status).toBe('PENDING');
    await preprocess.resume();
    expect((await waitForStatus(t.url, waiting, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
  });
});
