import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

// Texts built to make the analysis work hard: the tagger's cost grows with the square of a token's length,
// and an unpunctuated text is one endless sentence. Each is 2 MB (the largest accepted) and must be done,
// one way or the other, within seconds, on the stage threads as in production.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(testConfig({ INLINE_STAGE_MAX_BYTES: '0' }));
});
afterAll(async () => t?.close());

const MB2 = 2 * 1024 * 1024 - 64;
const letters = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('');
const inputs: [string, () => string][] = [
  ['"a-" repeated', () => 'a-'.repeat(MB2 / 2)],
  ['one 1 MiB word among sentences', () => `I will figure it out. ${'a'.repeat(1024 * 1024)} She gave up. `.padEnd(MB2, 'We ran out of milk. ')],
  ['letters with no space at all', () => letters(MB2)],
  ['words with no punctuation', () => 'we should call it a day and go home now '.repeat(Math.floor(MB2 / 40))],
];

describe('pathological 2 MB inputs are bounded work', () => {
  it.each(inputs)(
    '%s: the pipeline ends within 20 s',
    async (_name, make) => {
      const text = make();
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2 * 1024 * 1024);
      const started = Date.now();
      const r = await submit(t.url, { text });
      expect(r.status).toBe(202);
      const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE'], 20_000);
      const seconds = (Date.now() - started) / 1000;
      console.log(`${_name}: ${done.status} in ${seconds.toFixed(1)} s`);
      expect(done.status).toBe('SUCCESS');
    },
    30_000,
  );
});
