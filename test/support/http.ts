import { request as httpRequest } from 'node:http';
import { PipelineRecord } from '../../src/pipeline/pipeline.job';
import { waitFor } from './test-app';

export async function api(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: parseJson(text), text, headers: res.headers };
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const submit = (base: string, body: unknown, headers: Record<string, string> = {}) => api(base, 'POST', '/api/v1/pipelines', body, headers);

/** Polls a record until it reaches one of `statuses`; `collection` is pipelines, videos or slides. */
export async function waitForStatus(
  base: string,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
  collection = 'pipelines',
  headers: Record<string, string> = {},
): Promise<PipelineRecord<any>> {
  return waitFor(
    async () => {
      const r = await api(base, 'GET', `/api/v1/${collection}/${id}`, undefined, headers);
      return statuses.includes(r.body?.status) ? (r.body as PipelineRecord<any>) : undefined;
    },
    timeoutMs,
    `pipeline ${id} to reach ${statuses.join('|')}`,
  );
}

/** Reads a Server-Sent Events stream to its end (or the timeout) and returns the parsed data of each event. */
export function readEvents(url: string, timeoutMs = 30_000): Promise<{ status: number; events: any[] }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      let buf = '';
      const events: any[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data) events.push(JSON.parse(data));
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, events }));
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error('SSE stream did not end in time')));
    req.end();
  });
}
