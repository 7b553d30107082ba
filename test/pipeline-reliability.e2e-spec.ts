import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { AppConfig } from '../src/config/app-config';
import { RunControls, StageRunner } from '../src/pipeline/stages/stage-runner';
import { AnalysisOptions, AnalysisStage } from '../src/analysis/analysis-engine';
import { PIPELINE_JOB } from '../src/pipeline/pipeline.job';
import { api, submit, waitForStatus } from './support/http';
import { longText } from './support/fixtures';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The real runner, except that the first run of stage 2 fails the way a lost connection would. */
class FlakyOnceRunner extends StageRunner {
  failures = 0;
  override async run(stage: AnalysisStage, input: unknown, options: AnalysisOptions, controls: RunControls, textBytes?: number): Promise<unknown> {
    if (stage === 2 && this.failures++ === 0) throw new Error('connection reset by peer (injected)');
    return super.run(stage, input, options, controls, textBytes);
  }
}

/** Stage threads that run test/support/stuck-stage.worker.js: a features stage deaf to the soft limit. */
class StuckOnStage2 extends StageRunner {
  protected override threadEntry() {
    return { filename: join(__dirname, 'support', 'stuck-stage.worker.js'), execArgv: [] };
  }
}

/** The queue of a pipeline stage, from its declaration. */
const stageQueue = (name: string) => PIPELINE_JOB.steps.find((s) => s.name === name)!.queue;
const queue = (name: string) => t!.app.get<Queue>(getQueueToken(name));

describe('retries', () => {
  it('retries a transient failure, shows RETRY with the attempt and error, then succeeds', async () => {
    t = await startTestApp(testConfig({ STAGE_RETRY_DELAY_MS: '1500' }), (c: AppConfig) => new FlakyOnceRunner(c));
    const r = await submit(t.url, { text: 'I will figure it out.' });
    const retrying = await waitForStatus(t.url, r.body.id, ['RETRY']);
    expect(retrying.stages[1]).toMatchObject({ status: 'RETRY', attempt: 1, error: 'connection reset by peer (injected)' });
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    expect(done.stages[1]).toMatchObject({ status: 'SUCCESS', attempt: 2, error: null });
    expect(done.stages[0].attempt).toBe(1);
    // The retry waited for the configured back-off.
    expect(Date.parse(done.stages[1].startedAt!) - Date.parse(retrying.updatedAt)).toBeGreaterThanOrEqual(1400);
  });

  it('gives up after the configured retries with FAILURE and the last error', async () => {
    class AlwaysFailing extends StageRunner {
      override async run(): Promise<unknown> {
        throw new Error('disk on fire (injected)');
      }
    }
    t = await startTestApp(testConfig({ STAGE_RETRIES: '2', STAGE_RETRY_DELAY_MS: '50' }), (c) => new AlwaysFailing(c));
    const r = await submit(t.url, { text: 'I gave up.' });
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.stages[0]).toMatchObject({ status: 'FAILURE', attempt: 3 });
    expect(done.error).toBe('disk on fire (injected) (after 3 attempts)');
  });
});

describe('cancel', () => {
  it('revokes a running pipeline: the stage stops within two seconds and no later stage starts', async () => {
    t = await startTestApp(testConfig({ MAX_TEXT_BYTES: '2097152' }));
    const r = await submit(t.url, { text: longText(2_000_000) });
    await waitForStatus(t.url, r.body.id, ['PROGRESS'].concat([]), 20_000);
    await waitFor(async () => (await api(t!.url, 'GET', `/api/v1/pipelines/${r.body.id}`)).body.stages[1].status !== 'PENDING', 20_000, 'stage 2 to start');
    const started = Date.now();
    const del = await api(t.url, 'DELETE', `/api/v1/pipelines/${r.body.id}`);
    expect(del.status).toBe(202);
    expect(del.body.status).toBe('REVOKED');
    await waitFor(async () => (await queue(stageQueue('features')).getActiveCount()) === 0, 2000, 'the features job to stop');
    expect(Date.now() - started).toBeLessThan(2000);
    // Nothing comes after: stages 3 and 4 never start and their queues stay empty.
    await new Promise((res) => setTimeout(res, 500));
    const after = (await api(t.url, 'GET', `/api/v1/pipelines/${r.body.id}`)).body;
    expect(after.status).toBe('REVOKED');
    expect(after.stages[2].startedAt).toBeNull();
    expect(after.stages[3].startedAt).toBeNull();
    for (const name of [stageQueue('inference'), stageQueue('postprocess')]) {
      const counts = await queue(name).getJobCounts();
      expect(counts.waiting + counts.active + counts.delayed).toBe(0);
    }
    expect((await api(t.url, 'DELETE', `/api/v1/pipelines/${r.body.id}`)).status).toBe(409);
  });

  it('removes the queued job of a pipeline that has not started', async () => {
    t = await startTestApp(testConfig());
    await queue(stageQueue('preprocess')).pause(true, true); // hold the worker so the job stays queued
    const r = await submit(t.url, { text: 'I gave up.' });
    expect(await queue(stageQueue('preprocess')).getWaitingCount()).toBe(1);
    expect((await api(t.url, 'DELETE', `/api/v1/pipelines/${r.body.id}`)).status).toBe(202);
    expect(await queue(stageQueue('preprocess')).getWaitingCount()).toBe(0);
  });
});

describe('time limits', () => {
  it('soft limit: the stage is asked to stop at its next checkpoint and the pipeline fails with that reason', async () => {
    t = await startTestApp(testConfig({ MAX_TEXT_BYTES: '2097152', STAGE_RETRIES: '0', STAGE_SOFT_TIME_LIMIT_MS: '300', STAGE_HARD_TIME_LIMIT_MS: '20000' }));
    const r = await submit(t.url, { text: longText(1_500_000) });
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/soft time limit exceeded: the stage was stopped after 300 ms/);
  });

  it('hard limit: a stage that ignores the soft limit is killed, and its retry starts after it ended', async () => {
    t = await startTestApp(
      testConfig({
        MAX_TEXT_BYTES: '2097152',
        STAGE_RETRIES: '1',
        STAGE_RETRY_DELAY_MS: '200',
        STAGE_SOFT_TIME_LIMIT_MS: '50',
        STAGE_HARD_TIME_LIMIT_MS: '300',
        INLINE_STAGE_MAX_BYTES: '0',
      }),
      (c) => new StuckOnStage2(c),
    );
    // The real stages reach a checkpoint every few milliseconds whatever their input; this one never does.
    const r = await submit(t.url, { text: 'and then we walked on '.repeat(600) });
    const retrying = await waitForStatus(t.url, r.body.id, ['RETRY', 'FAILURE', 'SUCCESS']);
    const stage = retrying.currentStage! - 1;
    expect(retrying.stages[stage].error).toMatch(/hard time limit exceeded: the stage ran for 300 ms and was killed/);
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.stages[stage].attempt).toBe(2);
    expect(Date.parse(done.stages[stage].startedAt!)).toBeGreaterThan(Date.parse(retrying.stages[stage].finishedAt!));
    // The killed thread was replaced: a new pipeline runs normally.
    const next = await submit(t.url, { text: 'I will figure it out.' });
    expect((await waitForStatus(t.url, next.body.id, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
  });
});
