// The studio's client of the API: the key on every call, errors in plain words, the upload's progress, and
// the live status stream read over fetch (EventSource cannot send the key).
import { SseParser } from './sse';
import { FINAL, type Expression, type Job, type JobKind, type OutputFile, type Status, type StatusEvent } from './types';

const KEY_STORE = 'langflix.apiKey';

export type Role = 'admin' | 'user' | 'open';

/** A call the API refused or could not answer, with what to change in the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What went wrong, for the page: the API's message in words, or the error's own. */
export const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

/** The message of an error body ({ message: string | string[] }), in words for the person at the page. */
export function explain(status: number, body: unknown, retryAfter?: string | null): string {
  const raw = (body as { message?: unknown } | null)?.message;
  const said = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : '';
  if (status === 401) return `The API key was not accepted (${said || 'unauthorized'}). Enter a valid key.`;
  if (status === 403) return `Your API key may not do this: ${said.replace(/ \(one of ADMIN_API_KEYS\)/, '') || 'it needs an admin key'}.`;
  if (status === 413) return `The file is too large: ${said || 'the service refused its size'}.`;
  if (status === 429) return `Too many requests: ${said || 'slow down'}${retryAfter ? ` (try again in ${retryAfter} s)` : ''}.`;
  if (status >= 500) return `The service could not do it (${status}): ${said || 'try again in a moment'}.`;
  return said || `The request failed (${status}).`;
}

/** A response body as JSON; text that is not JSON (a proxy's error page) becomes its message. */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

const path = (kind: JobKind) => (kind === 'video' ? '/api/v1/videos' : '/api/v1/pipelines');

export class Api {
  constructor(public key: string | null) {}

  static stored(): string | null {
    return sessionStorage.getItem(KEY_STORE);
  }

  /** Kept for this tab only (sessionStorage): closing it forgets the key. */
  remember(key: string | null): void {
    this.key = key;
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.key ? { Authorization: `Bearer ${this.key}` } : {}), ...extra };
  }

  async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The service did not answer: check that it is running and reachable, then try again.');
    }
    const data = parseBody(await res.text());
    if (!res.ok) throw new ApiError(res.status, explain(res.status, data, res.headers.get('retry-after')));
    return data as T;
  }

  /** What the key may do (admin, user, or open where no keys are checked); a 401 when it is refused. */
  async me(): Promise<Role> {
    return (await this.call<{ role: Role }>('GET', '/api/v1/me')).role;
  }

  job(kind: JobKind, id: string): Promise<Job> {
    return this.call('GET', `${path(kind)}/${id}`);
  }

  recent(kind: JobKind, limit = 20): Promise<Job[]> {
    return this.call('GET', `${path(kind)}?limit=${limit}`);
  }

  analyse(body: { text: string; maxExpressions: number; level: string; targetLanguages: string[] }): Promise<Job> {
    return this.call('POST', '/api/v1/pipelines', body);
  }

  expressions(id: string): Promise<Expression[]> {
    return this.call('GET', `/api/v1/videos/${id}/expressions`);
  }

  render(id: string, body: unknown): Promise<Job> {
    return this.call('POST', `/api/v1/videos/${id}/render`, body);
  }

  files(id: string): Promise<OutputFile[]> {
    return this.call('GET', `/api/v1/videos/${id}/files`);
  }

  sourceLink(id: string): Promise<{ url: string; expiresAt: string }> {
    return this.call('GET', `/api/v1/videos/${id}/source/link`);
  }

  cancel(kind: JobKind, id: string, purge = false): Promise<Job> {
    return this.call('DELETE', `${path(kind)}/${id}${purge ? '?purge=true' : ''}`);
  }

  /** The episode upload, with the bytes sent so far (fetch cannot report an upload's progress; XHR can). */
  upload(form: FormData, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<Job> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/videos');
      if (this.key) xhr.setRequestHeader('Authorization', `Bearer ${this.key}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
      xhr.onload = () => {
        const data = parseBody(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) resolve(data as Job);
        else reject(new ApiError(xhr.status, explain(xhr.status, data, xhr.getResponseHeader('retry-after'))));
      };
      xhr.onerror = () => reject(new ApiError(0, 'The upload was cut off: check the connection to the service and try again.'));
      xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled.'));
      signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(form);
    });
  }

  /**
   * Follows a job's live stream until the job is final or `signal` aborts. A stream that ends or fails before
   * a final status (the service restarting, a proxy's timeout, Redis away) is resumed from the last event seen
   * (Last-Event-ID), so no change is missed; a 429 waits for Retry-After. A job that is gone (404) or a key
   * refused (401) ends it with that error.
   */
  async follow(kind: JobKind, id: string, onEvent: (e: StatusEvent) => void, signal: AbortSignal): Promise<void> {
    let lastId: string | null = null;
    let last: Status | null = null;
    for (let attempt = 0; !signal.aborted; attempt++) {
      let waitMs = Math.min(10_000, 500 * 2 ** attempt);
      let reader: ReadableStreamDefaultReader<string> | null = null;
      try {
        const res = await fetch(`${path(kind)}/${id}/events`, {
          headers: this.headers({ Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) }),
          signal,
        });
        if (!res.ok || !res.body) {
          const body: unknown = await res.json().catch(() => null);
          if (res.status === 429) waitMs = 1000 * (Number(res.headers.get('retry-after')) || 5);
          else if (res.status >= 400 && res.status < 500) throw new ApiError(res.status, explain(res.status, body));
        } else {
          reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new SseParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const m of parser.push(value)) {
              if (m.event === 'error') throw new Error(m.data); // the service's side of the stream failed: resume
              if (m.event !== 'status') continue;
              if (m.id) lastId = m.id;
              const e = JSON.parse(m.data) as StatusEvent;
              last = e.status;
              attempt = 0;
              onEvent(e);
            }
          }
          if (last && FINAL.includes(last)) return;
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError) throw err;
      } finally {
        reader?.cancel().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
