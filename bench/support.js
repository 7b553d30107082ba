// Shared by the benchmarks: boot the built service in this process, load its compiled modules, read
// percentiles, and the smoke mode (BENCH_SMOKE=1) in which CI runs every benchmark small, so none can rot.
require('reflect-metadata');
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const { NestFactory } = require('@nestjs/core');
const { Logger } = require('nestjs-pino');

/** Whether to run a few seconds' worth instead of the real measurement (CI). */
const SMOKE = process.env.BENCH_SMOKE === '1';

/**
 * A module of the built service (`npm run bench:*` builds it first). Required by a computed path so that the
 * type checker reads the types from src/ (the JSDoc `@type` at each call site) rather than the compiled files.
 * @param {string} name path under src/ without extension, e.g. 'pipeline/pipeline.service'
 * @returns {any}
 */
function fromDist(name) {
  return require(path.join(__dirname, '../dist', name));
}

/** @type {typeof import('../src/app.module')} */
const { AppModule } = fromDist('app.module');
/** @type {typeof import('../src/config/app-config')} */
const { AppConfig } = fromDist('config/app-config');
/** @type {typeof import('../src/config/env.schema')} */
const { validateEnv } = fromDist('config/env.schema');

/**
 * The service (API and workers) in this process. Its storage roots are created when missing.
 * @param {Record<string, string>} env
 */
async function bootService(env) {
  // Logs at warn by default so that the figures are readable; LOG_LEVEL=info shows what per-stage lines cost.
  const config = new AppConfig(validateEnv({ LOG_LEVEL: 'warn', ...process.env, ...env }));
  for (const root of [config.env.OUTPUT_ROOT, config.env.TEMP_ROOT, config.env.MEDIA_ROOT]) mkdirSync(root, { recursive: true });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return { app, config };
}

/**
 * @param {number[]} sorted ascending
 * @param {number} p 0..1
 */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

module.exports = { bootService, percentile, fromDist, SMOKE };
