import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestApp, testConfig, waitFor } from './support/test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeEpisode } = require('../scripts/make-episode.js');

// A client generated from the live OpenAPI document by someone else's tools (openapi-typescript for the
// types, openapi-fetch for the calls) drives a pipeline and a video job end to end, and every response body
// is checked against the schema the document gives for it.

const KEY = 'openapi-client-test-key-0123456789';
const ADMIN = 'openapi-client-admin-key-0123456789';
const REPO = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'langflix-openapi-'));
let t: TestApp;
let doc: any;
let ajv: Ajv;
const validators = new Map<string, ValidateFunction>();

beforeAll(async () => {
  const roots = { OUTPUT_ROOT: join(dir, 'out'), TEMP_ROOT: join(dir, 'tmp'), MEDIA_ROOT: join(dir, 'media') };
  Object.values(roots).forEach((d) => mkdirSync(d));
  t = await startTestApp(
    testConfig({ ...roots, API_KEYS: KEY, ADMIN_API_KEYS: ADMIN, VIDEO_PRESET: 'ultrafast', VIDEO_RETRIES: '0', SSE_HEARTBEAT_MS: '500' }),
  );
  doc = await (await fetch(`${t.url}/docs-json`, { headers: { 'x-api-key': KEY } })).json();
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: doc.components });
}, 60_000);

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The schema the document gives for this response, or null when it documents none (a file download). */
function schemaFor(path: string, method: string, status: number, type = 'application/json'): object | null {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  const response = operation.responses[String(status)];
  if (!response)
    throw new Error(
      `${method.toUpperCase()} ${path} answered ${status}, which the document does not list (it lists ${Object.keys(operation.responses).join(', ')})`,
    );
  return response.content?.[type]?.schema ?? null;
}

/** Checks a body against the documented schema of its response; fails with ajv's words. */
function expectDocumented(path: string, method: string, status: number, body: unknown, type?: string): void {
  const schema = schemaFor(path, method, status, type);
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${status} has no schema for ${type ?? 'application/json'}`);
  const key = `${method} ${path} ${status} ${type}`;
  let validate = validators.get(key);
  if (!validate) {
    const rewrite = (s: unknown): unknown => JSON.parse(JSON.stringify(s).replace(/"#\/components\/schemas\//g, '"openapi#/components/schemas/'));
    validate = ajv.compile(rewrite(schema) as object);
    validators.set(key, validate);
  }
  if (!validate(body))
    throw new Error(
      `${method.toUpperCase()} ${path} ${status}: body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    );
}

/** Server-Sent Events text into the data of each `status` event. */
function parseEvents(text: string): any[] {
  return text
    .split('\n\n')
    .filter((block) => /^event: status$/m.test(block))
    .map((block) =>
      JSON.parse(
        block
          .split('\n')
          .find((l) => l.startsWith('data: '))!
          .slice(6),
      ),
    );
}

describe('the OpenAPI document', () => {
  it('is clean under Redocly recommended rules, with and without API keys', async () => {
    const open = await startTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: '100' }));
    try {
      const docs = { keys: doc, open: await (await fetch(`${open.url}/docs-json`)).json() };
      for (const [name, d] of Object.entries(docs)) {
        const file = join(dir, `${name}.json`);
        writeFileSync(file, JSON.stringify(d));
        let out: string;
        try {
          out = execFileSync(join(REPO, 'node_modules/.bin/redocly'), ['lint', file, '--format=json'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          });
        } catch (err) {
          out = (err as { stdout: string }).stdout;
        }
        const report = JSON.parse(out);
        expect(
          report.problems.map((p: any) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`),
          name,
        ).toEqual([]);
        expect(report.totals.errors).toBe(0);
      }
    } finally {
      await open.close();
    }
  });

  it('gives every operation a readable id, a 2xx and error responses in the one error shape, and integers as integers', () => {
    const ids: string[] = [];
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(operations)) {
        ids.push(op.operationId);
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => s.startsWith('2')),
          `${method} ${path} has a 2xx`,
        ).toBe(true);
        // The health probes answer with terminus's own report, which its own schema documents.
        for (const s of statuses.filter((x) => /^[45]/.test(x) && !path.startsWith('/health'))) {
          expect(op.responses[s].content?.['application/json']?.schema?.$ref, `${method} ${path} ${s}`).toBe('#/components/schemas/ErrorResponse');
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['createPipeline', 'getPipeline', 'getVideo', 'uploadVideo', 'downloadFile', 'cancelVideo', 'listQueues']));
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    const props = doc.components.schemas.CreatePipelineDto.properties;
    expect(props.maxExpressions.type).toBe('integer');
    expect(doc.components.schemas.PipelineView.properties.etaSeconds.type).toEqual(['integer', 'null']);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.VideoJobView).toBeDefined();
  });

  it('generates a typed client: responses are typed, not `never`', async () => {
    const types = astToString(await openapiTS(doc));
    const work = join(REPO, 'test-artifacts', 'openapi-client');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'schema.d.ts'), types);
    writeFileSync(
      join(work, 'use.ts'),
      `import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
const client = createClient<paths>({ baseUrl: 'http://localhost' });
export async function use(): Promise<void> {
  const video = await client.GET('/api/v1/videos/{id}', { params: { path: { id: 'x' } } });
  const status: components['schemas']['JobStatus'] | undefined = video.data?.status;
  const size: number | undefined = video.data?.result?.files[0]?.size;
  const pipeline = await client.POST('/api/v1/pipelines', { body: { text: 'I will figure it out.', maxExpressions: 3 } });
  const expression: string | undefined = pipeline.data?.result?.expressions[0]?.expression;
  const message: string | undefined = pipeline.error?.message;
  // @ts-expect-error progress is a number, so the type is not \`never\` and not \`any\`
  const wrong: string | undefined = video.data?.progress;
  void [status, size, expression, message, wrong];
}
`,
    );
    const program = ts.createProgram([join(work, 'use.ts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 60_000);
});

describe('a generated client drives the service end to end', () => {
  const client = () => createClient<any>({ baseUrl: t.url, headers: { 'X-API-Key': KEY } });

  it('pipeline: create, events, poll, list, one stage, cancel of a finished one, a bad id', async () => {
    const api = client();
    const created = await api.POST('/api/v1/pipelines', { body: { text: '1\n00:00:01,000 --> 00:00:03,000\nI will figure it out.\n', maxExpressions: 5 } });
    expect(created.response.status).toBe(202);
    expectDocumented('/api/v1/pipelines', 'post', 202, created.data);
    const id = created.data.id;

    const events = await api.GET('/api/v1/pipelines/{id}/events', { params: { path: { id } }, parseAs: 'text' });
    expect(events.response.status).toBe(200);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const parsed = parseEvents(events.data as string);
    expect(parsed.at(-1).status).toBe('SUCCESS');
    for (const e of parsed) expectDocumented('/api/v1/pipelines/{id}/events', 'get', 200, e, 'text/event-stream');

    const done = await waitFor(async () => {
      const r = await api.GET('/api/v1/pipelines/{id}', { params: { path: { id } } });
      return r.data?.status === 'SUCCESS' ? r : undefined;
    });
    expectDocumented('/api/v1/pipelines/{id}', 'get', 200, done.data);
    expect(done.data.result.expressions.map((e: any) => e.expression)).toContain('figure out');

    const list = await api.GET('/api/v1/pipelines', { params: { query: { limit: 5, status: 'SUCCESS' } } });
    expectDocumented('/api/v1/pipelines', 'get', 200, list.data);
    const stage = await api.GET('/api/v1/pipelines/{id}/stages/{stage}', { params: { path: { id, stage: 2 } } });
    expectDocumented('/api/v1/pipelines/{id}/stages/{stage}', 'get', 200, stage.data);

    const cancel = await api.DELETE('/api/v1/pipelines/{id}', { params: { path: { id } } });
    expect(cancel.response.status).toBe(409);
    expectDocumented('/api/v1/pipelines/{id}', 'delete', 409, cancel.error);
    const bad = await api.GET('/api/v1/pipelines/{id}', { params: { path: { id: 'not-an-id' } } });
    expect(bad.response.status).toBe(400);
    expectDocumented('/api/v1/pipelines/{id}', 'get', 400, bad.error);
    expect(bad.error.message).toMatch(/id must be a UUID/);
    const unauthorised = await createClient<any>({ baseUrl: t.url }).GET('/api/v1/pipelines', {});
    expectDocumented('/api/v1/pipelines', 'get', 401, unauthorised.error);
  });

  it('video job: upload, events, poll, list, files, download with Range (path with %2F), queues, cancel', async () => {
    const api = client();
    const episode = makeEpisode(join(dir, 'episode'), 12, 2);
    const form = new FormData();
    form.append('showName', 'Client Show');
    form.append('episodeName', 'E01');
    form.append('maxExpressions', '2');
    form.append('video', await (await import('node:fs')).openAsBlob(episode.video), 'episode.mp4');
    form.append('subtitles', await (await import('node:fs')).openAsBlob(episode.srt), 'episode.srt');
    const created = await api.POST('/api/v1/videos', { body: form as never, bodySerializer: (body: unknown) => body as FormData });
    expect(created.response.status).toBe(202);
    expectDocumented('/api/v1/videos', 'post', 202, created.data);
    const id = created.data.id;

    const events = await api.GET('/api/v1/videos/{id}/events', { params: { path: { id } }, parseAs: 'text' });
    const parsed = parseEvents(events.data as string);
    expect(parsed.at(-1).status).toBe('SUCCESS');
    for (const e of parsed) expectDocumented('/api/v1/videos/{id}/events', 'get', 200, e, 'text/event-stream');

    const job = await api.GET('/api/v1/videos/{id}', { params: { path: { id } } });
    expectDocumented('/api/v1/videos/{id}', 'get', 200, job.data);
    expect(job.data.status).toBe('SUCCESS');
    expectDocumented('/api/v1/videos', 'get', 200, (await api.GET('/api/v1/videos', { params: { query: { limit: 3 } } })).data);
    expectDocumented('/api/v1/videos/{id}/expressions', 'get', 200, (await api.GET('/api/v1/videos/{id}/expressions', { params: { path: { id } } })).data);
    const files = await api.GET('/api/v1/videos/{id}/files', { params: { path: { id } } });
    expectDocumented('/api/v1/videos/{id}/files', 'get', 200, files.data);

    const long = files.data.find((f: any) => f.kind === 'long');
    const part = await api.GET('/api/v1/files/{path}', { params: { path: { path: long.path } }, headers: { Range: 'bytes=0-99' }, parseAs: 'arrayBuffer' });
    expect(part.response.url).toContain('%2F');
    expect(part.response.status).toBe(206);
    expect((part.data as ArrayBuffer).byteLength).toBe(100);
    expect(part.response.headers.get('content-range')).toBe(`bytes 0-99/${long.size}`);
    const beyond = await api.GET('/api/v1/files/{path}', { params: { path: { path: long.path } }, headers: { Range: 'bytes=999999999-' } });
    expect(beyond.response.status).toBe(416);
    expect(beyond.response.headers.get('content-range')).toBe(`bytes */${long.size}`);
    expectDocumented('/api/v1/files/{path}', 'get', 416, beyond.error);
    const outside = '../../etc/passwd'; // standalone: outside on purpose (an escape the server must refuse)
    const escape = await api.GET('/api/v1/files/{path}', { params: { path: { path: outside } } });
    expect(escape.response.status).toBe(400);

    const queues = await api.GET('/api/v1/queues', {});
    expectDocumented('/api/v1/queues', 'get', 200, queues.data);

    const second = await api.POST('/api/v1/videos/from-media', { body: { videoPath: 'nope.mp4', subtitlesPath: 'nope.srt' } });
    expect(second.response.status).toBe(400);
    expectDocumented('/api/v1/videos/from-media', 'post', 400, second.error);
    const purgeAsUser = await api.DELETE('/api/v1/videos/{id}', { params: { path: { id }, query: { purge: true } } });
    expect(purgeAsUser.response.status).toBe(403);
    expectDocumented('/api/v1/videos/{id}', 'delete', 403, purgeAsUser.error);
    const admin = createClient<any>({ baseUrl: t.url, headers: { 'X-API-Key': ADMIN } });
    const purge = await admin.DELETE('/api/v1/videos/{id}', { params: { path: { id }, query: { purge: true } } });
    expect(purge.response.status).toBe(202);
    expectDocumented('/api/v1/videos/{id}', 'delete', 202, purge.data);
    const gone = await api.GET('/api/v1/videos/{id}/files', { params: { path: { id } } });
    expect(gone.response.status).toBe(410);
    expectDocumented('/api/v1/videos/{id}/files', 'get', 410, gone.error);
  }, 120_000);
});
