// The job platform with a kind of job declared only here (test/support/word-count.kind.js: five steps on
// three queues): the same runner the pipeline and the videos use gives it per-step progress weighted as
// declared, retries, cancel and recovery from a worker killed mid-step, without a line of the app for it.
import { INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStatus } from '../src/common/enums';
import { AppConfig } from '../src/config/app-config';
import { ConfigModule } from '../src/config/config.module';
import { JobHandlersRegistry } from '../src/jobs/job-handlers';
import { stagesOf } from '../src/jobs/job-kind';
import { JobQueues } from '../src/jobs/job-queues';
import { JobsModule } from '../src/jobs/jobs.module';
import { JobsService } from '../src/jobs/jobs.service';
import { LoggingModule } from '../src/logging/logging.module';
import { RedisModule } from '../src/redis/redis.module';
import { StatusService } from '../src/status/status.service';
import { StatusEvent } from '../src/status/status.types';
import { AppProcess, startProcess, stopProcess } from './support/processes';
import { deleteKeys, REDIS_URL, testConfig, waitFor } from './support/test-app';

/** Plain CommonJS shared with the worker process: loaded as Node loads it there. */
const kindModule = createRequire(__filename)('./support/word-count.kind.js') as typeof import('./support/word-count.kind');
const { WORD_COUNT_JOB, registerWordCountSteps, gateKey, abortedKey } = kindModule;

interface WordCountResult {
  words: number;
  top: { word: string; count: number }[];
}

let app: INestApplicationContext | undefined;
let config: AppConfig | undefined;
let redis: Redis | undefined;
const workers: AppProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopProcess));
  await app?.close();
  redis?.disconnect();
  if (config) await deleteKeys(REDIS_URL, config.env.REDIS_PREFIX);
  app = redis = config = undefined;
});

/** The job platform and the word-count steps in this process, nothing else of the app. */
async function startPlatform(env: Record<string, string> = {}): Promise<{ jobs: JobsService; status: StatusService; redis: Redis }> {
  config = testConfig({ LOG_LEVEL: 'warn', ...env });
  const c = config;
  @Module({
    providers: [
      {
        provide: 'WORD_COUNT_STEPS',
        inject: [JobHandlersRegistry],
        useFactory: (registry: JobHandlersRegistry) => registerWordCountSteps(registry, { redisUrl: c.env.REDIS_URL, prefix: c.keyPrefix }),
      },
    ],
  })
  class WordCountSteps {}
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(c), LoggingModule, RedisModule, JobsModule.forRoot(c, [WORD_COUNT_JOB]), ...(c.runsWorkers ? [WordCountSteps] : [])],
  }).compile();
  app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  redis = new Redis(c.env.REDIS_URL);
  return { jobs: app.get(JobsService), status: app.get(StatusService), redis };
}

/** Words whose counts the result must show: "the" 3 times, "cat" twice, "sat" once... */
const TEXT = 'The cat sat. THE CAT ran; the dog sat on a mat, and a bird flew.';

const collect = (status: StatusService, id: string) => {
  const events: StatusEvent[] = [];
  const sub = status.events(id).subscribe((e) => events.push(e));
  return { events, stop: () => sub.unsubscribe() };
};

const record = async (status: StatusService, id: string) => (await status.get<WordCountResult>(id))!;
const final = (status: StatusService, id: string, timeoutMs = 20_000) =>
  waitFor(
    async () => {
      const r = await record(status, id);
      return ['SUCCESS', 'FAILURE', 'REVOKED'].includes(r.status) ? r : undefined;
    },
    timeoutMs,
    `job ${id} to end`,
  );

/** The record once its hold step reports half-way (ctx.progress(0.5) is 49 of 99). */
const halfWay = (status: StatusService, id: string, what: string) =>
  waitFor(
    async () => {
      const rec = await record(status, id);
      return rec.stages[3].progress === 49 ? rec : undefined;
    },
    20_000,
    what,
  );

/** The overall progress the declaration's weights give for these step progresses. */
const weighted = (progress: number[]) => {
  const weights = WORD_COUNT_JOB.steps.map((s) => s.weight);
  return Math.floor(progress.reduce((sum, p, i) => sum + p * weights[i], 0) / weights.reduce((a, b) => a + b, 0));
};

describe('a kind of job declared in a test runs through the platform', () => {
  it('runs its five steps in order over three queues, with per-step progress weighted as declared, to its result', async () => {
    const { jobs, status } = await startPlatform();
    const text = `${TEXT} ${'lorem ipsum '.repeat(3000)}`;
    const started = await jobs.start(WORD_COUNT_JOB, { options: {}, input: { text } });
    expect(started.stages.map((s) => [s.name, s.status])).toEqual(stagesOf(WORD_COUNT_JOB).map((s) => [s.name, 'PENDING']));
    const seen = collect(status, started.id);
    const done = await final(status, started.id);
    seen.stop();

    expect(done.status).toBe('SUCCESS');
    expect(done.progress).toBe(100);
    expect(done.result).toEqual({
      words: 6016,
      top: [
        { word: 'ipsum', count: 3000 },
        { word: 'lorem', count: 3000 },
        { word: 'the', count: 3 },
      ],
    });
    for (const s of done.stages) expect(s).toMatchObject({ status: 'SUCCESS', progress: 100, attempt: 1, error: null });
    expect(done.stages[2].message).toBe('13 distinct words');
    // Each step starts after the one before it ended, across the hand-offs between queues.
    for (let i = 1; i < done.stages.length; i++)
      expect(Date.parse(done.stages[i].startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.stages[i - 1].finishedAt!));
    // The count step reported progress of its own on the way, and the overall progress never went back.
    expect(seen.events.some((e) => e.stage === 3 && e.stageStatus === JobStatus.Progress && e.stageProgress! > 0 && e.stageProgress! < 100)).toBe(true);
    const overall = seen.events.map((e) => e.progress);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
  });

  it('weighs a step mid-way as declared, and a cancel stops the running step: no later step starts, no job is left', async () => {
    const { jobs, status, redis } = await startPlatform();
    const r = await jobs.start(WORD_COUNT_JOB, { options: { hold: true }, input: { text: TEXT } });
    const held = await halfWay(status, r.id, 'the hold step to report half-way');
    expect(held.status).toBe('PROGRESS');
    expect(held.currentStage).toBe(4);
    expect(held.progress).toBe(weighted([100, 100, 100, 49, 0]));

    const cancelled = await jobs.cancel(WORD_COUNT_JOB, r.id);
    expect(cancelled.status).toBe('REVOKED');
    // The running step was told to stop (it says so in Redis), and nothing ran after it.
    await waitFor(async () => (await redis.lrange(abortedKey(config!.keyPrefix), 0, -1)).includes(`${r.id}:hold`), 10_000, 'the hold step to stop');
    const after = await record(status, r.id);
    expect(after.stages.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'REVOKED', 'REVOKED']);
    expect(after.stages[4].startedAt).toBeNull();
    const queues = app!.get(JobQueues);
    await waitFor(
      async () => {
        const counts = await Promise.all(queues.all().map((q) => q.counts()));
        return counts.every((c) => c.waiting + c.active + c.delayed === 0);
      },
      10_000,
      'the queues to be empty',
    );
  });

  it('removes a job still queued when it is cancelled', async () => {
    const { jobs, status } = await startPlatform();
    const queue = app!.get(JobQueues).get('test.text');
    await queue.pause(true); // this worker takes nothing: the job stays queued
    const r = await jobs.start(WORD_COUNT_JOB, { options: {}, input: { text: TEXT } });
    expect((await queue.counts()).waiting).toBe(1);
    expect((await jobs.cancel(WORD_COUNT_JOB, r.id)).status).toBe('REVOKED');
    expect((await queue.counts()).waiting).toBe(0);
    expect((await record(status, r.id)).stages.every((s) => s.startedAt === null)).toBe(true);
  });

  it('retries a step that failed for a passing reason, showing RETRY with the attempt and error, then succeeds', async () => {
    const { jobs, status } = await startPlatform();
    const r = await jobs.start(WORD_COUNT_JOB, { options: { failFirstCount: true }, input: { text: TEXT } });
    const seen = collect(status, r.id);
    const done = await final(status, r.id);
    seen.stop();
    expect(done.status).toBe('SUCCESS');
    expect(done.stages[2]).toMatchObject({ status: 'SUCCESS', attempt: 2, error: null });
    expect(done.stages[0].attempt).toBe(1); // the steps before it, in another job, did not run again
    const retry = seen.events.find((e) => e.status === JobStatus.Retry);
    expect(retry).toMatchObject({ stage: 3, stageStatus: 'RETRY', message: 'attempt 1 of 3 failed; retrying' });
    expect(done.result!.top[0]).toEqual({ word: 'the', count: 3 });
  });
});

describe('a worker of that kind killed mid-step', () => {
  it('loses nothing: another worker runs the step again and the job finishes', async () => {
    // This process only queues and reads (no worker); the workers are processes of their own.
    const { jobs, status, redis } = await startPlatform({ APP_ROLE: 'api', STAGE_LOCK_MS: '3000' });
    const env = {
      REDIS_URL,
      REDIS_PREFIX: config!.env.REDIS_PREFIX,
      APP_ROLE: 'worker',
      STAGE_LOCK_MS: '3000',
      STAGE_STALLED_CHECK_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    const first = await startWorker(env);
    const r = await jobs.start(WORD_COUNT_JOB, { options: { hold: true }, input: { text: TEXT } });
    const held = await halfWay(status, r.id, 'the hold step to start on the first worker');
    first.child.kill('SIGKILL');
    await first.exited;

    await startWorker(env);
    // The queue hands the step to the new worker once the dead one's lock expires: it starts again there.
    await waitFor(
      async () => {
        const step = (await record(status, r.id)).stages[3];
        return step.startedAt !== held.stages[3].startedAt && step.progress === 49;
      },
      30_000,
      'the hold step to run on the second worker',
    );
    await redis.rpush(gateKey(config!.keyPrefix, r.id), 'go');
    const done = await final(status, r.id, 30_000);
    expect(done.status).toBe('SUCCESS');
    expect(done.result).toEqual({
      words: 16,
      top: [
        { word: 'the', count: 3 },
        { word: 'a', count: 2 },
        { word: 'cat', count: 2 },
      ],
    });
    expect(done.stages.map((s) => s.status)).toEqual(Array(5).fill('SUCCESS'));
  }, 90_000);
});

const startWorker = async (env: Record<string, string>) => {
  const worker = await startProcess(env, /word-count worker started/, undefined, join(__dirname, 'support', 'word-count.worker.js'));
  workers.push(worker);
  return worker;
};
