import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageRunner } from '../src/pipeline/stages/stage-runner';
import { ARTIFACTS, launchChromium } from './support/browser';
import { api, waitForStatus } from './support/http';
import { startTestApp, TestApp, testConfig } from './support/test-app';

const KEY = 'browser-test-key-0123456789';
/** The dashboard can retry, remove and pause: it takes an admin key. */
const ADMIN = 'browser-test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };

let t: TestApp;
let browser: Browser;
let broken = true;

/** Stage 2 fails while `broken` holds: a failed job for the dashboard to show, then to retry. */
class BrokenFeatures extends StageRunner {
  override async run(...args: Parameters<StageRunner['run']>): Promise<unknown> {
    if (broken && args[0] === 2) throw new Error('feature store offline (injected for the browser test)');
    return super.run(...args);
  }
}

beforeAll(async () => {
  t = await startTestApp(testConfig({ API_KEYS: KEY, ADMIN_API_KEYS: ADMIN, STAGE_RETRIES: '0' }), (c) => new BrokenFeatures(c));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A browser context that answers the dashboard's Basic-auth prompt with the admin key as password. */
const operator = (): Promise<BrowserContext> =>
  browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN }, viewport: { width: 1280, height: 900 } });

describe('the queue dashboard in a real browser (headless Chromium)', () => {
  it('shows every queue, finds the failed job with its reason, and retrying it there finishes the pipeline', async () => {
    const r = await api(t.url, 'POST', '/api/v1/pipelines', { text: 'Let us call it a day and figure it out tomorrow.' }, auth);
    expect(r.status).toBe(202);
    const id = r.body.id as string;
    expect((await waitForStatus(t.url, id, ['FAILURE'], 20_000, 'pipelines', auth)).error).toMatch(/feature store offline/);

    const context = await operator();
    const page = await context.newPage();
    const response = await page.goto(`${t.url}/admin/queues`);
    expect(response?.status()).toBe(200);
    for (const name of ['pipeline.preprocess', 'pipeline.features', 'pipeline.inference', 'pipeline.postprocess', 'video.render', 'video.slides']) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    await page.getByText('Loading...').waitFor({ state: 'detached', timeout: 15_000 });
    // The overview: a card per queue with its job count, the failed one flagged.
    const overview = await page.locator('main').innerText();
    expect(overview).toMatch(/pipeline\.features\s+FAILED\s+1\s+1 Job/);
    for (const name of ['pipeline.inference', 'pipeline.postprocess', 'pipeline.preprocess', 'video.render', 'video.slides'])
      expect(overview).toContain(`${name}\n0 Jobs`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-queues.png'), fullPage: true });

    await page.goto(`${t.url}/admin/queues/queue/pipeline.features?status=failed`);
    await page.getByText(`${id}:2`).first().waitFor({ timeout: 15_000 });
    await page
      .getByText(/feature store offline/)
      .first()
      .waitFor();
    const shot = join(ARTIFACTS, 'dashboard-failed-job.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    // The job card's own Retry (the circular-arrows icon; "Retry all" is the queue's). bull-board asks to confirm.
    broken = false;
    const card = page.locator('[class*="card"]', { has: page.getByText(`${id}:2`, { exact: true }) }).last();
    await card.locator('button:has(svg.lucide-refresh-cw)').click();
    await page.getByText('Are you sure that you want to retry this job?').waitFor();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    // The dashboard's Retry reopens the pipeline at the failed stage, and it runs to the end.
    const done = await waitForStatus(t.url, id, ['SUCCESS'], 20_000, 'pipelines', auth);
    expect(done.error).toBeNull();
    expect(done.stages.map((s) => s.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    await page.goto(`${t.url}/admin/queues/queue/pipeline.features?status=failed`);
    await page.getByText(`${id}:2`).waitFor({ state: 'detached', timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-after-retry.png'), fullPage: true });
    await context.close();
  }, 90_000);
});

describe('Swagger UI in a real browser', () => {
  it('authorizes with an API key, then "Try it out" on POST /api/v1/pipelines starts a pipeline: 202', async () => {
    broken = false;
    // The docs are behind the keys too (DOCS_PUBLIC unset): the browser's Basic-auth prompt takes an API key.
    const context = await browser.newContext({ httpCredentials: { username: 'dev', password: KEY }, viewport: { width: 1280, height: 1400 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/docs`);

    await page.locator('button.authorize').first().click();
    const bearer = page.locator('.auth-container', { hasText: 'bearer' });
    await bearer.locator('input').fill(KEY);
    await bearer.locator('button.modal-btn.authorize').click();
    await bearer.getByText('Authorized').waitFor();
    await page.locator('.modal-ux button.btn-done').first().click();

    const create = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/api\/v1\/pipelines$/ }) });
    await create.locator('.opblock-summary').click();
    await create.getByRole('button', { name: 'Try it out' }).click();
    await create.locator('textarea.body-param__text').fill(JSON.stringify({ text: 'We ran out of coffee, so let us call it a day.', maxExpressions: 5 }));
    await create.getByRole('button', { name: 'Execute' }).click();

    const status = create.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.innerText()).trim()).toBe('202');
    const body = JSON.parse(await create.locator('.live-responses-table tr.response .response-col_description pre.microlight').first().innerText());
    expect(body).toMatchObject({ status: 'PENDING', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await create.screenshot({ path: join(ARTIFACTS, 'swagger-try-it-out.png') });
    // What the browser started is a real pipeline.
    expect((await waitForStatus(t.url, body.id, ['SUCCESS', 'FAILURE'], 20_000, 'pipelines', auth)).status).toBe('SUCCESS');
    await context.close();
  }, 60_000);
});
