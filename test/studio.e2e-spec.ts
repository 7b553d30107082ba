// The studio page in headless Chromium: the whole job a creator does, from the API key to a short playing,
// over the real app (real Redis, real ffmpeg) with API keys on. Screenshots of each screen land in
// test-artifacts/ for a person to look at.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEpisode } from '../scripts/make-episode';
import { STUDIO_DIR } from '../src/studio/studio.controller';
import { expressionBase } from '../src/video/render-plan';
import { ARTIFACTS, launchChromium } from './support/browser';
import { FakeLlm } from './support/fake-llm';
import { api } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

const KEY = 'studio-test-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
const dir = mkdtempSync(join(tmpdir(), 'langflix-studio-test-'));
let t: TestApp;
let browser: Browser;
let episode: { video: string; srt: string };
/** The LLM provider stands in for a real one (not on this machine): the job is translated into Korean. */
let llm: FakeLlm;

beforeAll(async () => {
  // The page is built by `npm run build`; run alone, this file builds it itself.
  if (!existsSync(join(STUDIO_DIR, 'index.html'))) {
    execFileSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'studio/vite.config.mts', '--logLevel', 'warn'], {
      cwd: join(__dirname, '..'),
      stdio: 'inherit',
    });
  }
  episode = makeEpisode(join(dir, 'episode'), 60, 6);
  llm = await FakeLlm.start();
  t = await startTestApp(
    testConfig({
      API_KEYS: KEY,
      VIDEO_PRESET: 'ultrafast',
      VIDEO_SHORTS_PRESET: 'ultrafast',
      VIDEO_RETRIES: '0',
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'fake-model-1',
      LLM_API_KEY: 'fake-llm-key',
    }),
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `studio-${name}.png`), fullPage: true });

/** A page past the key form: the key typed once, with the keyboard. */
async function signedIn(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  const res = await page.goto(`${t.url}/`);
  expect(res?.url()).toBe(`${t.url}/studio`);
  await page.getByRole('textbox', { name: 'API key' }).waitFor();
  await page.getByRole('textbox', { name: 'API key' }).fill('not-the-key');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not accepted/);
  await page.getByRole('textbox', { name: 'API key' }).fill(KEY);
  await shot(page, 'key');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'New job' }).waitFor();
  return page;
}

/** Form controls a screen reader could not name: neither a label nor an aria-label. */
const unnamedControls = (page: Page) =>
  page
    .locator('input, select, textarea, button, video')
    .evaluateAll((els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !e.textContent?.trim()).map((e) => e.outerHTML),
    );

/** No sideways scrolling: the page fits the width of the window. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('the studio page', () => {
  it('takes a creator from upload to review, render and a short playing, and renders exactly the reviewed list', async () => {
    const page = await signedIn();
    await page.getByLabel('Episode video').setInputFiles(episode.video);
    await page.getByLabel('Subtitles (SRT or WebVTT)').setInputFiles(episode.srt);
    await page.getByLabel('Show name').fill('Studio Show');
    await page.getByLabel('Episode', { exact: true }).fill('E07');
    await page.getByLabel('Max expressions').fill('4');
    await page.getByLabel('Target languages').fill('ko');
    expect(await page.getByLabel('Let me review the expressions before rendering').isChecked()).toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'new-job');
    await page.getByRole('button', { name: 'Upload and start' }).click();

    // The job page: the step bars follow the live stream up to the review.
    await page.waitForURL(/#\/jobs\/video\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const bars = await page.locator('.step').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}:${e.querySelector('progress')!.value}`));
      bars.forEach((b) => seen.add(b));
      if ((await page.locator('.badge[data-status]').getAttribute('data-status')) === 'REVIEW') break;
      await page.waitForTimeout(100);
    }
    expect(await page.locator('.badge[data-status]').getAttribute('data-status')).toBe('REVIEW');
    // The last events and the record's next read bring the bars of the steps done to their end.
    const bar = (step: string) => page.locator(`.step[data-step=${step}] progress`).evaluate((p: HTMLProgressElement) => p.value);
    await expect.poll(() => bar('analysis')).toBe(100);
    expect(await bar('probe')).toBe(100);
    expect(seen.size, `bars seen: ${[...seen].join(' ')}`).toBeGreaterThan(7);
    await page.getByRole('heading', { name: 'Review the expressions' }).waitFor();
    const names = await page.locator('.review-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-expression')!));
    expect(names.length).toBeGreaterThanOrEqual(3);

    // Play the seconds of the source around the first line (Range requests on the upload, through a media link).
    await page.getByRole('button', { name: `Play the line of ${names[0]}` }).click();
    await expect
      .poll(() => page.locator('.source video').evaluate((v: HTMLVideoElement) => (!v.paused || v.currentTime > 0) && v.readyState >= 2), { timeout: 15_000 })
      .toBe(true);

    // Drop the second, rewrite the first's definition.
    await page.getByRole('checkbox', { name: `Keep ${names[1]}` }).uncheck();
    const definition = `A definition the creator wrote for ${names[0]}.`;
    await page.locator('.review-item').first().getByLabel('Definition', { exact: false }).first().fill(definition);
    // And its Korean: the translation as the analysis gave it, then the creator's.
    const korean = page.locator('.review-item').first().locator('fieldset.translation');
    expect(await korean.getByLabel('Expression').inputValue()).toBe(`[ko] ${names[0]}`);
    await korean.getByLabel('Expression').fill('크리에이터의 번역');
    // The last one is taught before the one above it.
    const last = names[names.length - 1];
    await page.getByRole('button', { name: `Move ${last} up` }).click();
    const order = [...names.slice(0, -2), last, names[names.length - 2]];
    expect(await page.locator('.review-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-expression')))).toEqual(order);
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'review');
    const kept = order.filter((n) => n !== names[1]);
    await page.getByRole('button', { name: `Render ${kept.length} lessons` }).click();

    // The bars move on through the rendering steps to SUCCESS: the overall bar takes several values on the way.
    const overall = new Set<number>();
    let status = 'REVIEW';
    for (let i = 0; i < 1200 && status !== 'SUCCESS' && status !== 'FAILURE'; i++) {
      overall.add(await page.locator('#overall-progress').evaluate((p: HTMLProgressElement) => p.value));
      status = (await page.locator('.badge[data-status]').getAttribute('data-status'))!;
      if (i === 4) await shot(page, 'rendering');
      await page.waitForTimeout(200);
    }
    expect(status).toBe('SUCCESS');
    expect(overall.size, `overall progress seen: ${[...overall].join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.step progress').evaluateAll((els) => els.map((p) => (p as HTMLProgressElement).value))).toEqual(Array(7).fill(100));
    await page.getByRole('heading', { name: /^Shorts/ }).waitFor();

    // A short plays in the page, and the long-form seeks (Range on the output, through a media link).
    const short = page.locator('.video.vertical video').first();
    await short.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await expect.poll(() => short.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(1);
    const long = page.locator('figure[data-kind=long] video');
    await long.evaluate((v: HTMLVideoElement) => new Promise((resolve) => (v.readyState >= 1 ? resolve(null) : v.addEventListener('loadedmetadata', resolve))));
    const seeked = await long.evaluate(
      (v: HTMLVideoElement) =>
        new Promise<number>((resolve) => {
          v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
          v.currentTime = v.duration - 2;
        }),
    );
    expect(seeked).toBeGreaterThan(5);
    expect(await page.locator('figure.slide img').count()).toBeGreaterThan(0);
    expect(
      await page
        .locator('figure.slide img')
        .first()
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
    await shot(page, 'results');

    // What was rendered is exactly the reviewed list.
    const job = (await api(t.url, 'GET', `/api/v1/videos/${id}`, undefined, auth)).body;
    expect(job.result.expressions.map((e: any) => e.expression)).toEqual(kept);
    expect(job.result.expressions[0].definition).toBe(definition);
    expect(job.result.expressions[0].translations.ko.expression).toBe('크리에이터의 번역');
    expect(job.result.expressions[1].translations.ko.expression).toBe(`[ko] ${kept[1]}`);
    expect(job.stages[1].message).toBe(`reviewed: ${kept.length} of ${names.length} expressions kept, in the order to teach`);
    const files: any[] = (await api(t.url, 'GET', `/api/v1/videos/${id}/files`, undefined, auth)).body;
    expect(files.filter((f) => f.kind === 'shorts' && f.path.endsWith('.mp4'))).toHaveLength(kept.length);
    // The lessons are numbered in the reviewed order: 01_<first kept>.mp4, 02_…
    const lessons = files.filter((f) => f.kind === 'expressions' && f.path.endsWith('.mp4')).map((f) => f.path.split('/').pop());
    expect(lessons.sort()).toEqual(kept.map((n, i) => `${expressionBase(i, n)}.mp4`));
    // What the key may do: a user's key deletes no files (the page shows no such button).
    expect((await api(t.url, 'GET', '/api/v1/me', undefined, auth)).body).toEqual({ role: 'user' });
    expect((await api(t.url, 'GET', '/api/v1/me')).status).toBe(401);
    expect(await page.getByRole('button', { name: 'Delete files' }).count()).toBe(0);
    // A download link works without the key (a media link); the bare path does not.
    const meta = files.find((f) => f.path.endsWith('.meta.json'));
    expect((await fetch(`${t.url}${meta.url}`)).status).toBe(200);
    expect((await fetch(`${t.url}/api/v1/files/${meta.path}`)).status).toBe(401);
    expect((await fetch(`${t.url}${meta.url.replace(/access=\d+\./, 'access=1.')}`)).status).toBe(401);

    // The recent jobs list shows it, done; at phone width everything fits.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'results-phone');
    await page.getByRole('link', { name: 'New job' }).first().click();
    const row = page.getByRole('row', { name: /Studio Show · E07/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/done/);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, 'home-phone');
  }, 420_000);

  it('analyses pasted subtitles, and says in plain words what is wrong with a bad upload', async () => {
    const page = await signedIn();
    await page.getByLabel('Episode video').setInputFiles(episode.srt);
    await page.getByLabel('Subtitles (SRT or WebVTT)').setInputFiles(episode.srt);
    await page.getByRole('button', { name: 'Upload and start' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/video/i);
    await shot(page, 'upload-error');

    await page.getByLabel('Subtitles only → expressions').check();
    await page.getByLabel('Subtitles or text').fill(readFileSync(episode.srt, 'utf8'));
    await page.getByRole('button', { name: 'Find expressions' }).click();
    await page.waitForURL(/#\/jobs\/pipeline\//);
    await page.getByRole('heading', { name: /expressions found/ }).waitFor({ timeout: 30_000 });
    const found = await page.locator('.expression .expr').allTextContents();
    expect(found).toEqual(expect.arrayContaining(['figure out', 'call it a day']));
    await shot(page, 'analysis');
  }, 120_000);
});
