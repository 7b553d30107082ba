// A kind of job that exists only for the tests of the job platform: five steps on three queues that count
// the words of a text. It is plain CommonJS with no import from the app, so that the same declaration and
// steps run in a test's process (against the TypeScript sources) and in a worker process of its own
// (test/support/word-count.worker.js, against the build). Its "hold" step waits for a signal the test sends
// through Redis: that is how a test catches a job mid-step to cancel it or kill its worker.
const Redis = require('ioredis').default;

/** @type {import('../../src/jobs/job-kind').JobKind} */
const WORD_COUNT_JOB = {
  kind: 'wordcount',
  stepWord: 'step',
  steps: [
    { name: 'split', weight: 1, queue: 'test.text' },
    { name: 'normalise', weight: 1, queue: 'test.text' },
    { name: 'count', weight: 4, queue: 'test.count' },
    { name: 'hold', weight: 2, queue: 'test.finish' },
    { name: 'rank', weight: 1, queue: 'test.finish' },
  ],
  retries: () => ({ retries: 2, delayMs: 100 }),
  concurrency: () => 2,
};

/** The Redis list a held job waits on, and the one where a step says it was told to stop. */
const gateKey = (/** @type {string} */ prefix, /** @type {string} */ id) => `${prefix}:wordcount:gate:${id}`;
const abortedKey = (/** @type {string} */ prefix) => `${prefix}:wordcount:aborted`;

/**
 * @typedef {{ hold?: boolean, failFirstCount?: boolean }} WordCountOptions
 * @typedef {import('../../src/jobs/job-handlers').StepContext} StepContext
 */

/**
 * Registers the steps of the word-count kind.
 * @param {{ register(handlers: Partial<import('../../src/jobs/job-handlers').KindHandlers> & { kind: import('../../src/jobs/job-kind').JobKind }): void }} registry
 * @param {{ redisUrl: string, prefix: string }} where
 * @returns {{ onApplicationShutdown(): Promise<void> }} what the app calls on shutdown
 */
function registerWordCountSteps(registry, where) {
  /** @type {Set<Redis>} */
  const open = new Set();
  registry.register({
    kind: WORD_COUNT_JOB,
    steps: {
      split: async (/** @type {{ text: string }} */ input) => input.text.split(/\s+/),
      normalise: async (/** @type {string[]} */ words) => words.map((w) => w.toLowerCase().replace(/[^a-z']/g, '')).filter(Boolean),
      count: async (/** @type {string[]} */ words, /** @type {StepContext} */ ctx) => {
        if (/** @type {WordCountOptions} */ (ctx.options).failFirstCount && ctx.attempt === 1) throw new Error('the word store did not answer (injected)');
        /** @type {Record<string, number>} */
        const counts = {};
        for (let i = 0; i < words.length; i++) {
          counts[words[i]] = (counts[words[i]] ?? 0) + 1;
          if (i % 1000 === 999) ctx.progress(i / words.length);
        }
        ctx.message = `${Object.keys(counts).length} distinct words`;
        return counts;
      },
      hold: async (/** @type {Record<string, number>} */ counts, /** @type {StepContext} */ ctx) => {
        if (!(/** @type {WordCountOptions} */ (ctx.options).hold)) return counts;
        ctx.progress(0.5);
        // A connection of its own: BLPOP blocks it.
        const redis = new Redis(where.redisUrl, { maxRetriesPerRequest: null });
        open.add(redis);
        try {
          while (!ctx.signal.aborted) {
            if (await redis.blpop(gateKey(where.prefix, ctx.recordId), 0.2)) return counts;
          }
          await redis.rpush(abortedKey(where.prefix), `${ctx.recordId}:${ctx.stepName}`);
          throw new Error('stopped');
        } finally {
          open.delete(redis);
          redis.disconnect();
        }
      },
      rank: async (/** @type {Record<string, number>} */ counts) => ({
        words: Object.values(counts).reduce((a, b) => a + b, 0),
        top: Object.entries(counts)
          .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
          .slice(0, 3)
          .map(([word, count]) => ({ word, count })),
      }),
    },
  });
  return {
    async onApplicationShutdown() {
      for (const redis of open) redis.disconnect();
    },
  };
}

module.exports = { WORD_COUNT_JOB, registerWordCountSteps, gateKey, abortedKey };
