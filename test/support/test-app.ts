import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { setUpHttp } from '../../src/bootstrap';
import { StageRunner } from '../../src/pipeline/stages/stage-runner';
import { AppConfig } from '../../src/config/app-config';
import { validateEnv } from '../../src/config/env.schema';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Test settings: a key prefix of its own on the shared Redis, folders of its own, small limits, one stage thread. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'langflix-test-roots-'));
  const roots = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };
  Object.values(roots).forEach((d) => mkdirSync(d));
  return new AppConfig(
    validateEnv({
      ...roots,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL,
      REDIS_PREFIX: `test-${randomUUID().slice(0, 8)}`,
      ANALYSIS_THREADS: '1',
      // Tests poll hard from one address; the rate-limit test turns limits back on.
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'error',
      STAGE_RETRY_DELAY_MS: '100',
      STAGE_LOCK_MS: '2000',
      STAGE_STALLED_CHECK_MS: '1000',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
    }),
  );
}

export interface TestApp {
  app: INestApplication;
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** The whole app over HTTP on a free port; `runner` may wrap the stage runner to inject faults. */
export async function startTestApp(config = testConfig(), runner?: (config: AppConfig) => StageRunner): Promise<TestApp> {
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (runner) builder = builder.overrideProvider(StageRunner).useFactory({ factory: runner, inject: [AppConfig] });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  setUpHttp(app, config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    config,
    close: async () => {
      await app.close();
      await deleteKeys(config.env.REDIS_URL, config.env.REDIS_PREFIX);
      const roots = dirname(config.env.OUTPUT_ROOT);
      if (basename(roots).startsWith('langflix-test-roots-')) rmSync(roots, { recursive: true, force: true });
    },
  };
}

/** Removes every key under a test prefix, so tests leave the shared Redis as they found it. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
