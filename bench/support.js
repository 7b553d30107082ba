// Shared by the benchmarks: boot the built service in this process, and read percentiles.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require('../dist/app.module');
const { AppConfig } = require('../dist/config/app-config');
const { validateEnv } = require('../dist/config/env.schema');

async function bootService(env) {
  const config = new AppConfig(validateEnv({ ...process.env, ...env }));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'fatal'] });
  await app.init();
  return { app, config };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

module.exports = { bootService, percentile };
