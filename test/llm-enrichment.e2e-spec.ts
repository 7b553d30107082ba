// The enrich stage against a local OpenAI-compatible server (test/support/fake-llm.ts): real HTTP, the real
// `openai` client, json_schema structured output. The normal run with two target languages, then the
// faults: 429 with Retry-After, 500, a timeout, malformed and truncated JSON, items that break the schema,
// an invented expression, made-up times, a cancel mid-request, the cache on a run again, LLM_REQUIRED.
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../src/analysis/analysis-engine';
import { InputFormat, Level } from '../src/common/enums';
import { api, submit, waitForStatus } from './support/http';
import { FakeLlm } from './support/fake-llm';
import { BBB_CLIP } from './support/fixtures';
import { uploadForm } from './support/upload';
import { AppProcess, freePort, startProcess, stopProcess } from './support/processes';
import { deleteKeys, REDIS_URL, startTestApp, TestApp, testConfig, waitFor } from './support/test-app';

const API_KEY = 'sk-test-0123456789abcdefghij';

/** Six cues: lexicon idioms, and two the lexicon lacks ("sweat the small stuff", "take a rain check"). */
const SRT = [
  ['00:00:01,000', '00:00:03,000', 'I will figure it out, I promise.'],
  ['00:00:04,000', '00:00:06,500', 'She put her career on hold for the kids.'],
  ['00:00:07,000', '00:00:09,000', "Don't sweat the small stuff over a parking ticket."],
  ['00:00:10,000', '00:00:12,000', "I'll take a rain check on dinner, sorry."],
  ['00:00:13,000', '00:00:15,000', "Let's call it a day and go home."],
  ['00:00:16,000', '00:00:18,000', 'Stop beating around the bush and tell me.'],
]
  .map(([a, b, text], i) => `${i + 1}\n${a} --> ${b}\n${text}\n`)
  .join('\n');

let fake: FakeLlm;
/** One app for most tests (an app per test exhausts a test process's memory); a test that needs other settings starts its own. */
let shared: TestApp;
let own: TestApp | undefined;
let current: TestApp;

const llmEnv = (extra: Record<string, string> = {}) =>
  testConfig({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'fake-model-1',
    LLM_API_KEY: API_KEY,
    LLM_TIMEOUT_MS: '1500',
    LLM_MAX_RETRIES: '2',
    LOG_LEVEL: 'warn',
    VIDEO_PRESET: 'ultrafast',
    VIDEO_SHORTS_PRESET: 'ultrafast',
    VIDEO_RETRIES: '0',
    ...extra,
  });

const startOwn = async (config: ReturnType<typeof testConfig>) => (own = current = await startTestApp(config));

beforeAll(async () => {
  fake = await FakeLlm.start();
  shared = await startTestApp(llmEnv());
}, 60_000);
afterAll(async () => {
  await shared?.close();
  await fake?.close();
});
beforeEach(() => {
  current = shared;
});
afterEach(async () => {
  await own?.close();
  own = undefined;
  fake.reset();
  // Each test asks afresh: the shared app's cached answers go.
  await deleteKeys(REDIS_URL, `${shared.config.env.REDIS_PREFIX}:llm`);
});

const run = async (body: Record<string, unknown>, timeoutMs = 30_000) => {
  const r = await submit(current.url, { text: SRT, maxExpressions: 10, ...body });
  expect(r.status).toBe(202);
  return waitForStatus(current.url, r.body.id, ['SUCCESS', 'FAILURE'], timeoutMs);
};

describe('the enrich stage with an OpenAI-compatible provider', () => {
  it('confirms, defines, adds what the lexicon missed (times from the text) and translates every expression into ko and es', async () => {
    // The lexicon reads "take ... on" in "take a rain check on": the model says that is not "take on".
    const done = await run({ targetLanguages: ['ko', 'es'] });
    expect(done.status).toBe('SUCCESS');
    expect(done.stages.map((s: any) => s.name)).toEqual(['preprocess', 'features', 'inference', 'enrich', 'postprocess']);
    const expressions: any[] = done.result.expressions;
    const names = expressions.map((e) => e.expression);
    expect(names).toEqual(expect.arrayContaining(['figure out', 'put something on hold', 'call it a day', 'sweat the small stuff', 'take a rain check']));
    for (const e of expressions) {
      expect(Object.keys(e.translations).sort()).toEqual(['es', 'ko']);
      for (const lang of ['ko', 'es']) {
        expect(e.translations[lang]).toEqual({
          expression: `[${lang}] ${e.expression}`,
          definition: `[${lang}] ${e.definition}`,
          example: `[${lang}] ${e.example}`,
        });
      }
      expect(e.similar).toEqual([`${e.expression} (similar)`]);
    }
    // Added from the model, with the cue times of the line its quote is in.
    const sweat = expressions.find((e) => e.expression === 'sweat the small stuff');
    expect(sweat).toMatchObject({
      example: "Don't sweat the small stuff over a parking ticket.",
      matched: 'sweat the small stuff',
      startMs: 7000,
      endMs: 9000,
    });
    // The learner lexicon's definitions stay; the model's are used for what it added.
    expect(expressions.find((e) => e.expression === 'figure out').definition).not.toMatch(/^\(checked\)/);
    expect(sweat.definition).toBe('sweat the small stuff: as a learner says it');
    expect(names).not.toContain('take on');
    expect(done.result.stats).toMatchObject({
      enrichment: 'done',
      llm: { provider: 'openai', model: 'fake-model-1', rejected: 1, added: 2, invented: 0, invalid: 0 },
    });
    expect(done.result.stats.llm.translated).toBe(expressions.length * 2);
    expect(fake.tasks()).toEqual(expect.arrayContaining(['propose', 'confirm', 'translate']));
    // Structured output with the schema, and the key as a bearer token.
    const req = fake.requests[0];
    expect(req.body.response_format.type).toBe('json_schema');
    expect(req.body.response_format.json_schema.strict).toBe(true);
    expect(req.authorization).toBe(`Bearer ${API_KEY}`);

    // A run again of the same text costs nothing: every answer comes from the cache.
    const asked = fake.requests.length;
    const again = await run({ targetLanguages: ['ko', 'es'] });
    expect(again.status).toBe('SUCCESS');
    expect(fake.requests.length).toBe(asked);
    expect(again.result.expressions).toEqual(expressions);
    expect(again.result.stats.llm).toMatchObject({ requests: 0 });
    expect(again.result.stats.llm.cached).toBeGreaterThan(0);

    const metrics = await (await fetch(`${current.url}/metrics`)).text();
    expect(metrics).toMatch(/langflix_llm_requests_total\{provider="openai",model="fake-model-1",task="translate",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/langflix_llm_tokens_total\{provider="openai",model="fake-model-1",task="confirm",direction="in"\} [1-9]/);
    expect(metrics).toMatch(/langflix_llm_cache_hits_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/langflix_llm_request_duration_seconds_count\{[^}]*\} [1-9]/);
  });
});

describe('a video job with target languages', () => {
  it('translates every expression and publishes a folder per language, the sound made once, the translation burned in per language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'langflix-llm-video-'));
    try {
      const srt = join(dir, 'bbb.srt');
      writeFileSync(
        srt,
        [
          '1\n00:00:01,000 --> 00:00:04,000\nThe rabbit woke up and figured it out.\n',
          '2\n00:00:10,000 --> 00:00:13,000\nThen the birds broke the ice with a song.\n',
          '3\n00:00:20,000 --> 00:00:24,000\nOut of the blue, a butterfly came along.\n',
        ].join('\n'),
      );
      const r = await uploadForm(
        `${current.url}/api/v1/videos`,
        { video: BBB_CLIP, subtitles: srt },
        { showName: 'Bunny', episodeName: 'E1', maxExpressions: '3', targetLanguages: 'ko,es' },
      );
      expect(r.status).toBe(202);
      expect(r.body.options.targetLanguages).toEqual(['ko', 'es']);
      const done = await waitForStatus(current.url, r.body.id, ['SUCCESS', 'FAILURE'], 180_000, 'videos');
      expect(done.error).toBeNull();
      const expressions: any[] = done.result.expressions;
      expect(expressions.map((e) => e.expression)).toEqual(expect.arrayContaining(['break the ice', 'out of the blue']));
      for (const e of expressions) expect(Object.keys(e.translations).sort()).toEqual(['es', 'ko']);

      const files: any[] = done.result.files;
      const out = current.config.env.OUTPUT_ROOT;
      expect(readdirSync(join(out, 'bunny', 'e1')).sort()).toEqual(['es', 'ko']);
      for (const lang of ['ko', 'es']) {
        const mine = files.filter((f) => f.language === lang);
        expect(new Set(mine.map((f) => f.kind))).toEqual(new Set(['slides', 'expressions', 'long', 'shorts', 'meta']));
        expect(mine.every((f) => f.path.startsWith(`bunny/e1/${lang}/`) && existsSync(join(out, f.path)))).toBe(true);
        const meta = JSON.parse(readFileSync(join(out, mine.find((f) => f.kind === 'meta').path), 'utf8'));
        expect(meta.translation.expression).toBe(`[${lang}] ${meta.expression}`);
        expect(meta.languages).toEqual(['en', lang]);
        for (const l of meta.lessons) expect(l.translation.expression).toBe(`[${lang}] ${l.expression}`);
      }
      // One sound for every language (built once), and pictures that differ: each burns its translation line in.
      const learning = (lang: string) => join(out, files.find((f) => f.language === lang && f.kind === 'expressions').path);
      const md5 = (file: string, stream: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', stream, '-f', 'md5', '-']).toString();
      expect(md5(learning('ko'), '0:a')).toBe(md5(learning('es'), '0:a'));
      expect(md5(learning('ko'), '0:v')).not.toBe(md5(learning('es'), '0:v'));
      // The slides differ: each shows its language.
      const slide = (lang: string) => readFileSync(join(out, files.find((f) => f.language === lang && f.path.endsWith('.png')).path));
      expect(slide('ko').equals(slide('es'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('without a provider', () => {
  it('refuses targetLanguages with a 400 that names LLM_PROVIDER, and runs the four offline stages as before', async () => {
    await startOwn(testConfig());
    const r = await api(current.url, 'POST', '/api/v1/pipelines', { text: SRT, targetLanguages: ['ko'] });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/LLM_PROVIDER/);
    const done = await run({});
    expect(done.stages.map((s: any) => s.name)).toEqual(['preprocess', 'features', 'inference', 'postprocess']);
    expect(done.result.stats.enrichment).toBeUndefined();
    expect(done.result.expressions.every((e: any) => e.translations === undefined && e.similar === undefined)).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('says what is wrong with a language code', async () => {
    for (const [langs, message] of [
      [['xx-!!'], /"xx-!!" is not a BCP 47 language code/],
      [['ko', 'KO'], /each language once/],
      [['en-GB'], /English is the language of the text/],
      ['ko', /must be a list/],
    ] as const) {
      const r = await api(current.url, 'POST', '/api/v1/pipelines', { text: SRT, targetLanguages: langs });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(message);
    }
  });
});

/** The offline result of the test's text, from the analysis alone: what a failed enrichment must leave. */
const offline = () => new AnalysisEngine().analyse(SRT, { format: InputFormat.Auto, language: 'en', maxExpressions: 10, level: Level.Mixed }).expressions;

describe('faults of the provider', () => {
  it('waits as a 429 asks (Retry-After) and carries on', async () => {
    fake.fail({ kind: 'status', status: 429, retryAfter: '1' });
    const done = await run({ targetLanguages: ['ko'] });
    expect(done.result.stats.enrichment).toBe('done');
    const [first, second] = fake.requests;
    expect(second.task).toBe(first.task);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
    expect(done.result.expressions.every((e: any) => e.translations.ko)).toBe(true);
    const metrics = await (await fetch(`${current.url}/metrics`)).text();
    expect(metrics).toMatch(/langflix_llm_requests_total\{[^}]*outcome="retried"\} [1-9]/);
  });

  it('retries a 500 and a request that times out', async () => {
    fake.fail({ kind: 'status', status: 500 }, { kind: 'hang' });
    const done = await run({ targetLanguages: ['ko'] });
    expect(done.result.stats.enrichment).toBe('done');
    expect(fake.requests[1].aborted).toBe(true); // the client gave up on the request that hung
    expect(fake.requests[2].at - fake.requests[1].at).toBeGreaterThanOrEqual(1400);
    expect(done.result.expressions.every((e: any) => e.translations.ko)).toBe(true);
  });

  it('keeps the offline result, saying so, when the provider stays down', async () => {
    fake.fail(...Array(3).fill({ kind: 'status', status: 500 }));
    const done = await run({ targetLanguages: ['ko', 'es'] });
    expect(done.status).toBe('SUCCESS');
    expect(done.result.stats.enrichment).toMatch(/^failed: the LLM provider answered 500/);
    expect(done.result.expressions).toEqual(offline());
    expect(fake.requests).toHaveLength(3); // the first attempt and LLM_MAX_RETRIES=2
  });

  it('drops malformed, truncated and invalid answers, counting them, and never crashes the stage', async () => {
    // The first confirm is not JSON; the search for missed expressions is cut short; the next confirm has an item without a verdict.
    fake.fail({ kind: 'malformed' }, { kind: 'truncated' }, { kind: 'invalid-items' });
    const done = await run({});
    expect(done.status).toBe('SUCCESS');
    expect(done.result.stats.enrichment).toBe('done');
    expect(fake.tasks().slice(0, 3)).toEqual(['confirm', 'propose', 'confirm']);
    const firstBatch = JSON.parse(fake.requests[0].body.messages[1].content).items.length;
    // Every item of the first confirm, the cut search (one), and the one item without its verdict.
    expect(done.result.stats.llm.invalid).toBe(firstBatch + 1 + 1);
    // Nothing was added from the cut answer; what the lexicon found stands.
    const names = done.result.expressions.map((e: any) => e.expression);
    expect(names).not.toContain('sweat the small stuff');
    expect(names).toEqual(expect.arrayContaining(['figure out', 'call it a day']));
  });

  it('drops an expression the text does not have, and takes times from the text, never from the model', async () => {
    fake.invent = true; // "kick the bucket", said nowhere
    fake.wrongTimes = true; // proposals point at line 1000+ and say 987654 ms
    const done = await run({});
    const names = done.result.expressions.map((e: any) => e.expression);
    expect(names).not.toContain('kick the bucket');
    expect(done.result.stats.llm.invented).toBeGreaterThanOrEqual(1);
    expect(done.result.expressions.find((e: any) => e.expression === 'sweat the small stuff')).toMatchObject({ startMs: 7000, endMs: 9000 });
    expect(done.result.expressions.find((e: any) => e.expression === 'take a rain check')).toMatchObject({ startMs: 10000, endMs: 12000 });
  });

  it('stops asking once the job has spent its token budget, keeping what it has', async () => {
    await startOwn(llmEnv({ LLM_TOKEN_BUDGET: '1000', LLM_BATCH_SIZE: '2' }));
    const done = await run({ targetLanguages: ['ko'] });
    expect(done.status).toBe('SUCCESS');
    expect(done.result.stats.enrichment).toBe('partial: the token budget of 1000 (LLM_TOKEN_BUDGET) is spent');
    const { tokensIn, tokensOut, requests } = done.result.stats.llm;
    // It stops at the first request that finds the budget spent: one request's worth over it at most.
    expect(requests).toBe(fake.requests.length);
    expect(tokensIn + tokensOut).toBeGreaterThanOrEqual(1000);
    expect(tokensIn + tokensOut - fake.requests.at(-1)!.tokens).toBeLessThan(1000);
    expect(done.result.expressions.length).toBeGreaterThan(0);
  });

  it('a cancel aborts the request in flight', async () => {
    fake.fail({ kind: 'hang' });
    const r = await submit(current.url, { text: SRT });
    await waitFor(async () => fake.requests.length > 0, 20_000, 'the first request');
    const cancelledAt = Date.now();
    expect((await api(current.url, 'DELETE', `/api/v1/pipelines/${r.body.id}`)).status).toBe(202);
    await waitFor(async () => fake.requests[0].aborted, 5000, 'the request to be aborted');
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    const after = await waitForStatus(current.url, r.body.id, ['REVOKED']);
    expect(after.stages.find((s: any) => s.name === 'enrich')!.status).toBe('REVOKED');
    expect(after.stages.find((s: any) => s.name === 'postprocess')!.startedAt).toBeNull();
    await new Promise((res) => setTimeout(res, 500));
    expect(fake.requests).toHaveLength(1); // nothing asked after the cancel
  });
});

describe('LLM_REQUIRED=true', () => {
  let proc: AppProcess | undefined;
  const prefix = `test-llm-${process.pid}`;
  afterEach(async () => {
    await stopProcess(proc);
    await deleteKeys(REDIS_URL, prefix);
  });

  it('fails the pipeline when the provider refuses, saying what to check, and never shows the key (answers or logs)', async () => {
    const port = await freePort();
    proc = await startProcess(
      {
        REDIS_URL,
        REDIS_PREFIX: prefix,
        PORT: String(port),
        HOST: '127.0.0.1',
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'debug',
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: fake.url,
        LLM_MODEL: 'fake-model-1',
        LLM_API_KEY: API_KEY,
        LLM_REQUIRED: 'true',
      },
      /listening on/,
    );
    fake.fail({ kind: 'status', status: 401 });
    const base = `http://127.0.0.1:${port}`;
    const r = await submit(base, { text: SRT, targetLanguages: ['ko'] });
    const done = await waitForStatus(base, r.body.id, ['SUCCESS', 'FAILURE'], 30_000);
    expect(done.status).toBe('FAILURE');
    expect(done.error).toMatch(/answered 401 \(check LLM_API_KEY\).*LLM_REQUIRED=true/);
    expect(done.stages.find((s: any) => s.name === 'enrich')).toMatchObject({ status: 'FAILURE', attempt: 1 });
    expect(fake.requests).toHaveLength(1); // a refusal is not retried
    expect(JSON.stringify(done)).not.toContain(API_KEY);
    expect(proc.output()).not.toContain(API_KEY);
    expect(proc.output()).toMatch(/answered 401/);
  });
});

// Against a real provider: skipped unless LLM_API_KEY is set (LLM_BASE_URL and LLM_MODEL may name another server).
describe.skipIf(!process.env.LLM_API_KEY)('a real provider (opt-in)', () => {
  it('translates the expressions of a short text into Korean and Spanish', async () => {
    await startOwn(
      testConfig({
        LLM_PROVIDER: 'openai',
        LLM_API_KEY: process.env.LLM_API_KEY!,
        LLM_MODEL: process.env.LLM_MODEL ?? 'gpt-4o-mini',
        ...(process.env.LLM_BASE_URL ? { LLM_BASE_URL: process.env.LLM_BASE_URL } : {}),
      }),
    );
    const done = await run({ targetLanguages: ['ko', 'es'] }, 180_000);
    expect(done.status).toBe('SUCCESS');
    expect(done.result.stats.enrichment).toBe('done');
    for (const e of done.result.expressions) expect(Object.keys(e.translations ?? {}).sort()).toEqual(['es', 'ko']);
  }, 200_000);
});
