import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, readEvents, submit, waitForStatus } from './support/http';
import { makeSrt, sintelSrt } from './support/fixtures';
import { startTestApp, TestApp, testConfig } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(testConfig({ MAX_TEXT_BYTES: '200000' }));
});
afterAll(async () => t?.close());

const SRT = '1\n00:00:01,000 --> 00:00:03,000\nI will figure it out.\n\n2\n00:00:04,000 --> 00:00:06,000\nShe put her career on hold.\n';

describe('POST /api/v1/pipelines -> GET /api/v1/pipelines/:id', () => {
  it('runs the four stages and returns the expressions with cue times', async () => {
    const created = await submit(t.url, { text: SRT, maxExpressions: 5 });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'PENDING', progress: 0 });
    expect(created.body.stages.map((s: any) => s.name)).toEqual(['preprocess', 'features', 'inference', 'postprocess']);

    const done = await waitForStatus(t.url, created.body.id, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    expect(done.progress).toBe(100);
    expect(done.currentStage).toBe(4);
    for (const s of done.stages) {
      expect(s).toMatchObject({ status: 'SUCCESS', progress: 100, attempt: 1, error: null });
      expect(Date.parse(s.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(s.startedAt!));
    }
    const names = done.result.expressions.map((e: any) => e.expression);
    expect(names).toEqual(expect.arrayContaining(['figure out', 'put something on hold']));
    const figure = done.result.expressions.find((e: any) => e.expression === 'figure out');
    expect(figure).toMatchObject({ example: 'I will figure it out.', startMs: 1000, endMs: 3000, category: 'phrasal_verb' });
    expect(typeof figure.definition).toBe('string');
    expect(['beginner', 'intermediate', 'advanced']).toContain(figure.difficulty);
    expect(done.result.stats).toMatchObject({ format: 'srt', cues: 2, sentences: 2 });

    const stage = await api(t.url, 'GET', `/api/v1/pipelines/${created.body.id}/stages/3`);
    expect(stage.status).toBe(200);
    expect(stage.body).toMatchObject({ stage: 3, name: 'inference', status: 'SUCCESS' });
  });

  it('gives plain text null cue times and honours level and maxExpressions', async () => {
    const text = 'We had ice cream. Then he kicked the bucket. She gave up. They broke the ice.';
    const r = await submit(t.url, { text, level: 'advanced', maxExpressions: 1 });
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS']);
    expect(done.result.expressions).toHaveLength(1);
    expect(done.result.expressions[0]).toMatchObject({ difficulty: 'advanced', startMs: null, endMs: null });
  });

  it('analyses a real film subtitle file', async () => {
    const r = await submit(t.url, { text: sintelSrt() });
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS']);
    expect(done.result.stats.format).toBe('srt');
    expect(done.result.expressions.length).toBeGreaterThan(0);
  });
});

describe('input errors are 400s that name the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['missing text', {}, /text/],
    ['empty text', { text: '' }, /text must not be empty/],
    ['unknown field', { text: 'Hi there.', colour: 'red' }, /^colour is not a field of this request: remove it$/],
    ['bad format', { text: 'Hi.', format: 'docx' }, /format must be one of/],
    ['bad level', { text: 'Hi.', level: 'expert' }, /level must be one of/],
    ['maxExpressions out of range', { text: 'Hi.', maxExpressions: 500 }, /^maxExpressions must be a whole number from 1 to 200$/],
    ['maxExpressions not a number', { text: 'Hi.', maxExpressions: 'ten' }, /maxExpressions/],
    ['maxExpressions as a string: one message', { text: 'Hi.', maxExpressions: '5' }, /^maxExpressions must be a whole number from 1 to 200$/],
    ['null is not a way to ask for the default', { text: 'Hi.', level: null }, /^level must be one of: beginner, intermediate, advanced, mixed$/],
    ['null maxExpressions', { text: 'Hi.', maxExpressions: null }, /^maxExpressions must be a whole number from 1 to 200$/],
    ['null format', { text: 'Hi there.', format: null }, /^format must be one of/],
    ['unsupported language', { text: 'Hola.', language: 'es' }, /language must be .*en/],
    ['binary text', { text: 'PK\u0003\u0004\u0000\u0000binary' }, /binary/],
    ['bad SRT timestamp', { text: '1\n00:00:01,000 --> 00:00:0x,000\nHi.\n' }, /bad timestamp/],
    ['forced SRT that is not SRT', { text: 'Hello there.', format: 'srt' }, /SRT cue 1/],
    ['oversized text', { text: 'a'.repeat(200_001) }, /limit is 200000 bytes/],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    const r = await submit(t.url, body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
  });

  it('a body that is not JSON gets a 415 that says to send JSON', async () => {
    const r = await api(t.url, 'POST', '/api/v1/pipelines', undefined, {});
    expect(r.status).toBe(400); // no body at all: the text is missing
    const plain = await fetch(`${t.url}/api/v1/pipelines`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'I will figure it out.' });
    expect(plain.status).toBe(415);
    expect((await plain.json()).message).toBe('the body is text/plain: send JSON with Content-Type: application/json');
  });

  it('a malformed id says in plain words that it must be a UUID', async () => {
    const r = await api(t.url, 'GET', '/api/v1/pipelines/12345');
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^id must be a UUID/);
  });

  it('a body that is not JSON is a 400', async () => {
    const r = await api(t.url, 'POST', '/api/v1/pipelines', '{"text": ', {});
    expect(r.status).toBe(400);
  });

  it('ids that are not UUIDs are 400; unknown ones 404', async () => {
    expect((await api(t.url, 'GET', '/api/v1/pipelines/not-an-id')).status).toBe(400);
    expect((await api(t.url, 'GET', '/api/v1/pipelines/..%2F..%2Fetc')).status).toBe(400);
    const unknown = '4f1b8a3e-9c2d-4e5f-8a6b-7c8d9e0f1a2b';
    expect((await api(t.url, 'GET', `/api/v1/pipelines/${unknown}`)).status).toBe(404);
    expect((await api(t.url, 'DELETE', `/api/v1/pipelines/${unknown}`)).status).toBe(404);
    expect((await api(t.url, 'GET', `/api/v1/pipelines/${unknown}/events`)).status).toBe(404);
  });

  it('stage numbers outside 1..4 are refused', async () => {
    const r = await submit(t.url, { text: 'I will figure it out.' });
    expect((await api(t.url, 'GET', `/api/v1/pipelines/${r.body.id}/stages/5`)).status).toBe(404);
    expect((await api(t.url, 'GET', `/api/v1/pipelines/${r.body.id}/stages/two`)).status).toBe(400);
  });

  it('a job whose text has no words left after cleaning ends in FAILURE, not retried', async () => {
    const r = await submit(t.url, { text: '1\n00:00:01,000 --> 00:00:02,000\n[door slams]\n\n2\n00:00:03,000 --> 00:00:04,000\n♪ ♪\n' });
    expect(r.status).toBe(202);
    const done = await waitForStatus(t.url, r.body.id, ['FAILURE', 'SUCCESS']);
    expect(done.status).toBe('FAILURE');
    expect(done.stages[0]).toMatchObject({ status: 'FAILURE', attempt: 1 });
    expect(done.error).toMatch(/no spoken text/);
    expect(done.stages[1].status).toBe('PENDING');
  });
});

describe('listing, events, cancel of a final pipeline', () => {
  it('lists recent pipelines newest first, filtered by status', async () => {
    const a = await submit(t.url, { text: 'I gave up.' });
    await waitForStatus(t.url, a.body.id, ['SUCCESS']);
    const b = await submit(t.url, { text: 'I will figure it out.' });
    await waitForStatus(t.url, b.body.id, ['SUCCESS']);
    const list = await api(t.url, 'GET', '/api/v1/pipelines?status=SUCCESS&limit=2');
    expect(list.status).toBe(200);
    expect(list.body.map((p: any) => p.id)).toEqual([b.body.id, a.body.id]);
    expect((await api(t.url, 'GET', '/api/v1/pipelines?status=DONE')).status).toBe(400);
    expect((await api(t.url, 'GET', '/api/v1/pipelines?limit=0')).status).toBe(400);
  });

  it('streams status events until the pipeline is final, with progress that never goes back', async () => {
    const r = await submit(t.url, { text: makeSrt(400) });
    const { status, events } = await readEvents(`${t.url}/api/v1/pipelines/${r.body.id}/events`);
    expect(status).toBe(200);
    expect(events.length).toBeGreaterThan(4);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCESS', progress: 100 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(new Set(events.map((e) => e.stage).filter(Boolean))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('refuses to cancel a finished pipeline with 409 and its status', async () => {
    const r = await submit(t.url, { text: 'I gave up.' });
    await waitForStatus(t.url, r.body.id, ['SUCCESS']);
    const del = await api(t.url, 'DELETE', `/api/v1/pipelines/${r.body.id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toMatch(/SUCCESS/);
  });
});

describe('health and docs', () => {
  it('answers GET / with where to go, not "Cannot GET /"', async () => {
    const r = await api(t.url, 'GET', '/');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'langflix-backend', docs: '/docs', openapi: '/docs-json', api: '/api/v1' });
  });

  it('answers /health with 200 while Redis is up, and /health/ready with each dependency', async () => {
    const r = await api(t.url, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
    const ready = await api(t.url, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.info)).toEqual(['redis', 'disk', 'ffmpeg', 'queues', 'workers']);
    expect(ready.body.info.ffmpeg).toEqual({ status: 'up' }); // no version for anyone to read
    await api(t.url, 'POST', '/api/v1/queues/video.slides/pause');
    const paused = await api(t.url, 'GET', '/health/ready');
    expect(paused.status).toBe(503);
    expect(paused.body.error.queues).toEqual({ status: 'down', paused: ['video.slides'] });
    await api(t.url, 'POST', '/api/v1/queues/video.slides/resume');
  });

  it('serves Swagger UI and an OpenAPI document with every endpoint', async () => {
    const ui = await api(t.url, 'GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger/i);
    const doc = await api(t.url, 'GET', '/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pipelines',
        '/api/v1/pipelines/{id}',
        '/api/v1/pipelines/{id}/stages/{stage}',
        '/api/v1/pipelines/{id}/events',
        '/health',
      ]),
    );
    expect(doc.body.components.schemas.CreatePipelineDto.properties.text.example).toContain('figure it out');
  });
});
