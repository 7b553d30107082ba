// Review before rendering: a video job created with `review: true` stops after its analysis in status REVIEW;
// POST /api/v1/videos/{id}/render goes on with exactly the reviewed list. Real Redis, real ffmpeg, the whole
// app over HTTP.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEpisode } from '../scripts/make-episode';
import { api, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';
import { uploadForm } from './support/upload';

/** Short, so that the test of a review left open runs in seconds; every other test renders at once. */
const REVIEW_TTL_SECONDS = 12;
const dir = mkdtempSync(join(tmpdir(), 'langflix-review-test-'));
let t: TestApp;
let episode: { video: string; srt: string };

beforeAll(async () => {
  // 14 lines 6 s apart: the first two come back at the end, so that a review can pick their other use.
  episode = makeEpisode(join(dir, 'episode'), 84, 14);
  t = await startTestApp(
    testConfig({ VIDEO_PRESET: 'ultrafast', VIDEO_SHORTS_PRESET: 'ultrafast', VIDEO_RETRIES: '0', REVIEW_TTL_SECONDS: String(REVIEW_TTL_SECONDS) }),
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A job with review: true, once it waits for review. */
async function reviewing(fields: Record<string, string> = {}): Promise<any> {
  const r = await uploadForm(
    `${t.url}/api/v1/videos`,
    { video: episode.video, subtitles: episode.srt },
    { review: 'true', shorts: 'true', longForm: 'true', ...fields },
  );
  expect(r.status).toBe(202);
  expect(r.body.options.review).toBe(true);
  return waitForStatus(t.url, r.body.id, ['REVIEW', 'SUCCESS', 'FAILURE'], 60_000, 'videos');
}
const render = (id: string, body: unknown) => api(t.url, 'POST', `/api/v1/videos/${id}/render`, body);
const tempOf = (id: string) => join(t.config.env.TEMP_ROOT, id);

describe('a job created with review: true', () => {
  it('waits after its analysis, then renders exactly the reviewed list: one dropped, one definition edited, another use picked, the order kept', async () => {
    const waiting = await reviewing({ maxExpressions: '6' });
    expect(waiting.status).toBe('REVIEW');
    expect(waiting.stages.map((s: any) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING']);
    expect(waiting.stages[1].message).toMatch(/waiting for review.*\/render/);
    expect((await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/files`)).status).toBe(409);
    // Nothing rendered while it waits, and the uploads are kept for the rendering.
    expect(existsSync(tempOf(waiting.id))).toBe(true);
    expect((await api(t.url, 'GET', `/api/v1/videos?status=REVIEW`)).body.map((r: any) => r.id)).toContain(waiting.id);
    // The reviewer plays the source around an expression: the upload, by HTTP Range.
    const size = statSync(episode.video).size;
    const part = await fetch(`${t.url}/api/v1/videos/${waiting.id}/source`, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${size}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(readFileSync(episode.video).subarray(1000, 2000))).toBe(true);

    const analysed: any[] = (await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/expressions`)).body;
    expect(analysed.length).toBeGreaterThanOrEqual(3);
    const twice = analysed.find((e) => e.otherUses?.length);
    expect(twice, 'an expression used twice, with its other use listed').toBeDefined();
    const other = twice.otherUses[0];
    expect(other.startMs).not.toBe(twice.startMs);
    const [first, dropped, ...rest] = [...analysed.filter((e) => e !== twice), twice];
    const kept: any[] = [
      { expression: first.expression, definition: 'A definition the creator wrote.' },
      ...rest.map((e) => (e === twice ? { expression: e.expression, startMs: other.startMs } : { expression: e.expression })),
    ].reverse();
    const wrongUse = await render(waiting.id, { expressions: [{ expression: twice.expression, startMs: 1 }] });
    expect(wrongUse.status).toBe(400);
    expect(wrongUse.body.message).toMatch(/has no use starting at 1 ms: pick the startMs of one of its uses/);
    const r = await render(waiting.id, { expressions: kept });
    expect(r.status).toBe(202);
    expect(['PROGRESS', 'STARTED', 'SUCCESS']).toContain(r.body.status);

    const done = await waitForStatus(t.url, waiting.id, ['SUCCESS', 'FAILURE'], 180_000, 'videos');
    expect(done.error).toBeNull();
    expect(done.stages.every((s: any) => s.status === 'SUCCESS')).toBe(true);
    expect(done.result.expressions.map((e: any) => e.expression)).toEqual(kept.map((k) => k.expression));
    expect(done.result.expressions.find((e: any) => e.expression === first.expression).definition).toBe('A definition the creator wrote.');
    // The other use is the one taught: its line, its times, in the metadata as cut.
    const picked = done.result.expressions.find((e: any) => e.expression === twice.expression);
    expect([picked.startMs, picked.example]).toEqual([other.startMs, other.example]);
    expect(picked.otherUses[0].startMs).toBe(twice.startMs);
    const files: any[] = done.result.files;
    const learning = files.filter((f) => f.kind === 'expressions');
    expect(learning).toHaveLength(kept.length);
    expect(files.some((f) => f.path.includes(dropped.expression.replace(/ /g, '-')))).toBe(false);
    const metas = files.filter((f) => f.kind === 'meta').map((f) => JSON.parse(readFileSync(join(t.config.env.OUTPUT_ROOT, f.path), 'utf8')));
    expect(metas.map((m) => m.expression).sort()).toEqual(kept.map((k) => k.expression).sort());
    expect(metas.find((m) => m.expression === first.expression).definition).toBe('A definition the creator wrote.');
    const pickedMeta = metas.find((m) => m.expression === twice.expression);
    expect(Math.abs(pickedMeta.lessons[0].expressionStartMs - (other.startMs - 250))).toBeLessThanOrEqual(40);
    expect((await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/expressions`)).body.map((e: any) => e.expression)).toEqual(kept.map((k) => k.expression));

    expect((await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/source`)).status).toBe(409);
    // Rendering twice: the job no longer waits for review.
    const again = await render(waiting.id, { expressions: kept });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/SUCCESS, not waiting for review/);
    expect(existsSync(tempOf(waiting.id))).toBe(false);
  }, 240_000);

  it('refuses an expression that was not in the analysis, naming it, and keeps waiting', async () => {
    const waiting = await reviewing({ maxExpressions: '2' });
    const analysed: any[] = (await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/expressions`)).body;
    const r = await render(waiting.id, { expressions: [{ expression: analysed[0].expression }, { expression: 'kick the bucket' }] });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/not in the analysis.*"kick the bucket".*GET \/api\/v1\/videos\/.*\/expressions/);
    for (const body of [
      { expressions: [] },
      {},
      { expressions: [{ expression: analysed[0].expression }, { expression: analysed[0].expression.toUpperCase() }] },
    ]) {
      expect((await render(waiting.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    const translation = await render(waiting.id, {
      expressions: [{ expression: analysed[0].expression, translations: [{ language: 'ko', expression: 'x' }] }],
    });
    expect(translation.status).toBe(400);
    expect(translation.body.message).toMatch(/"ko" is not a target language of this job/);
    expect((await api(t.url, 'GET', `/api/v1/videos/${waiting.id}`)).body.status).toBe('REVIEW');
    expect((await api(t.url, 'DELETE', `/api/v1/videos/${waiting.id}`)).status).toBe(202);
  }, 120_000);

  it('cannot be rendered once cancelled, and the cancel removes its uploads', async () => {
    const waiting = await reviewing({ maxExpressions: '2' });
    expect(existsSync(tempOf(waiting.id))).toBe(true);
    const cancelled = await api(t.url, 'DELETE', `/api/v1/videos/${waiting.id}`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.status).toBe('REVOKED');
    expect(existsSync(tempOf(waiting.id))).toBe(false);
    const analysed: any[] = (await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/expressions`)).body;
    const r = await render(waiting.id, { expressions: [{ expression: analysed[0].expression }] });
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/REVOKED, not waiting for review/);
  }, 120_000);

  it('left open past REVIEW_TTL_SECONDS, it is gone: rendering is a 404 that says the review expired', async () => {
    const waiting = await reviewing({ maxExpressions: '2' });
    const analysed: any[] = (await api(t.url, 'GET', `/api/v1/videos/${waiting.id}/expressions`)).body;
    await waitFor(async () => (await api(t.url, 'GET', `/api/v1/videos/${waiting.id}`)).status === 404 || undefined, (REVIEW_TTL_SECONDS + 10) * 1000);
    const r = await render(waiting.id, { expressions: [{ expression: analysed[0].expression }] });
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/not found \(unknown, or its review expired: a job waits 12 s for review\)/);
  }, 120_000);

  it('a job without review runs straight through, as before; batched shorts hold several lessons', async () => {
    const r = await uploadForm(
      `${t.url}/api/v1/videos`,
      { video: episode.video, subtitles: episode.srt },
      { maxExpressions: '2', shorts: 'true', longForm: 'false', shortsMode: 'batched', shortsMaxSeconds: '120' },
    );
    const done = await waitForStatus(t.url, r.body.id, ['SUCCESS', 'FAILURE', 'REVIEW'], 120_000, 'videos');
    expect(done.status).toBe('SUCCESS');
    expect((await render(r.body.id, { expressions: [{ expression: done.result.expressions[0].expression }] })).status).toBe(409);
    const shorts = done.result.files.filter((f: any) => f.kind === 'shorts');
    expect(shorts).toHaveLength(1);
    const meta = JSON.parse(readFileSync(join(t.config.env.OUTPUT_ROOT, shorts[0].path.replace(/\.mp4$/, '.meta.json')), 'utf8'));
    expect(meta.lessons.map((l: any) => l.number)).toEqual([1, 2]);
    expect(meta.parts.filter((p: any) => p.kind === 'slide')).toHaveLength(2);
    expect(Math.abs(meta.durationSec - shorts[0].durationSec)).toBeLessThanOrEqual(0.05);
  }, 150_000);
});
