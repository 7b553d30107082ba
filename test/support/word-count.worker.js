// A worker process for the test-only word-count kind (test/support/word-count.kind.js), built from the app's
// compiled job platform (`npm test` builds it first) and nothing else of the app: the configuration, logs,
// Redis, the status store and the jobs layer. Configured by the environment, like the service.
require('reflect-metadata');
const path = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { Logger } = require('nestjs-pino');
const { registerWordCountSteps, WORD_COUNT_JOB } = require('./word-count.kind');

/** @param {string} name */
const fromDist = (name) => require(path.join(__dirname, '../../dist', name));
/** @type {typeof import('../../src/config/app-config')} */
const { AppConfig } = fromDist('config/app-config');
/** @type {typeof import('../../src/config/config.module')} */
const { ConfigModule } = fromDist('config/config.module');
/** @type {typeof import('../../src/logging/logging.module')} */
const { LoggingModule } = fromDist('logging/logging.module');
/** @type {typeof import('../../src/redis/redis.module')} */
const { RedisModule } = fromDist('redis/redis.module');
/** @type {typeof import('../../src/jobs/jobs.module')} */
const { JobsModule } = fromDist('jobs/jobs.module');
/** @type {typeof import('../../src/jobs/job-handlers')} */
const { JobHandlersRegistry } = fromDist('jobs/job-handlers');

(async () => {
  const config = AppConfig.fromProcessEnv();
  class WordCountSteps {}
  Module({
    providers: [
      {
        provide: 'WORD_COUNT_STEPS',
        inject: [JobHandlersRegistry],
        useFactory: (/** @type {InstanceType<typeof JobHandlersRegistry>} */ registry) =>
          registerWordCountSteps(registry, { redisUrl: config.env.REDIS_URL, prefix: config.keyPrefix }),
      },
    ],
  })(WordCountSteps);
  class WordCountWorker {}
  Module({ imports: [ConfigModule.forRoot(config), LoggingModule, RedisModule, JobsModule.forRoot(config, [WORD_COUNT_JOB]), WordCountSteps] })(
    WordCountWorker,
  );
  const app = await NestFactory.createApplicationContext(WordCountWorker, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  console.log('word-count worker started');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
