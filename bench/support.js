// Shared by the benchmarks: boot the built service in this process, and read percentiles.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Logger } = require('nestjs-pino');
const { AppModule } = require('../dist/app.module');
const { AppConfig } = require('../dist/config/app-config');
const { validateEnv } = require('../dist/config/env.schema');

async function bootService(env) {
  // Logs at warn by default so that the figures are readable; LOG_LEVEL=info shows what per-stage lines cost.
  const config = new AppConfig(validateEnv({ LOG_LEVEL: 'warn', ...process.env, ...env }));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return { app, config };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

module.exports = { bootService, percentile };
