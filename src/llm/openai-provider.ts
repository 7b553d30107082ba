import { Logger } from '@nestjs/common';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ErrorCode, PipelineError } from '../common/errors';
import { Env } from '../config/env.schema';
import { LlmMetrics } from './llm-metrics';
import { LlmProvider, LlmReply, LlmRequest, LlmUnavailableError } from './llm.types';

/** The longest Retry-After honoured; a server asking for more is treated as down. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Back-off without Retry-After: 0.5 s, 1 s, 2 s… up to 8 s, with some jitter. */
const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() * 0.25);

/** Requests in flight at once across every job of this process. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(signal: AbortSignal): Promise<() => void> {
    if (this.free > 0) this.free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', stop);
          resolve();
        };
        const stop = () => {
          this.waiting.splice(this.waiting.indexOf(go), 1);
          reject(cancelled());
        };
        this.waiting.push(go);
        signal.addEventListener('abort', stop, { once: true });
      });
    }
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

const cancelled = () => new PipelineError(ErrorCode.Cancelled, 'cancelled');

/** Waits `ms`, or less when the signal aborts (then throws). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const done = () => {
      signal.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** How long a 429 or 503 asks to wait (Retry-After in seconds or as a date, or retry-after-ms), if it says. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  const ms = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(ms)) return Math.max(0, ms);
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * A model behind the OpenAI chat-completions protocol (OpenAI, Gemini's OpenAI-compatible endpoint, Ollama,
 * vLLM, llama.cpp's server), with JSON-schema structured output. The `openai` client sends the requests; the
 * retries are this class's (the client's own cannot be cancelled while they wait, and honour any Retry-After,
 * however long): 429, 5xx, timeouts and lost connections are retried LLM_MAX_RETRIES times with back-off,
 * honouring Retry-After up to a minute. A cancel aborts the request in flight and any wait.
 */
export class OpenAiProvider implements LlmProvider {
  readonly provider = 'openai';
  readonly model: string;
  private readonly logger = new Logger(OpenAiProvider.name);
  private readonly client: OpenAI;
  private readonly slots: Slots;
  private readonly apiKey: string;

  constructor(
    private readonly env: Env,
    private readonly metrics: LlmMetrics,
  ) {
    this.model = env.LLM_MODEL!;
    // Local servers take any key; the client insists on one.
    this.apiKey = env.LLM_API_KEY ?? 'none';
    this.client = new OpenAI({ apiKey: this.apiKey, baseURL: env.LLM_BASE_URL, timeout: env.LLM_TIMEOUT_MS, maxRetries: 0, logLevel: 'off' });
    this.slots = new Slots(env.LLM_CONCURRENCY);
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmReply> {
    const labels = { provider: this.provider, model: this.model, task: request.task };
    for (let attempt = 0; ; attempt++) {
      const release = await this.slots.take(signal);
      const started = Date.now();
      let wait: number;
      try {
        const reply = await this.send(request, signal);
        this.metrics.request(labels, 'ok', Date.now() - started, reply.usage);
        return reply;
      } catch (err) {
        if (signal.aborted || err instanceof APIUserAbortError) throw cancelled();
        const { retry, after, message } = this.judge(err as Error);
        const last = !retry || attempt >= this.env.LLM_MAX_RETRIES;
        this.metrics.request(labels, last ? 'failed' : 'retried', Date.now() - started);
        if (last) throw new LlmUnavailableError(message, retry);
        wait = after ?? backoffMs(attempt);
        this.logger.warn(`${request.task}: ${message}; retrying in ${Math.round(wait)} ms (${attempt + 1} of ${this.env.LLM_MAX_RETRIES})`);
      } finally {
        release();
      }
      await pause(wait, signal);
    }
  }

  private async send(request: LlmRequest, signal: AbortSignal): Promise<LlmReply> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: { type: 'json_schema', json_schema: { name: request.task, schema: request.schema, strict: true } },
        temperature: 0,
        max_tokens: request.maxOutputTokens,
      },
      { signal },
    );
    const choice = completion.choices?.[0];
    return {
      text: choice?.message?.content ?? '',
      truncated: choice?.finish_reason === 'length',
      usage: { input: completion.usage?.prompt_tokens ?? 0, output: completion.usage?.completion_tokens ?? 0 },
    };
  }

  /** Whether an error is worth another try, after how long, and what to say of it (never the key). */
  private judge(err: Error): { retry: boolean; after: number | null; message: string } {
    const redact = (text: string) => (this.apiKey.length >= 8 ? text.split(this.apiKey).join('[redacted]') : text);
    if (err instanceof APIError && err.status !== undefined) {
      const status = err.status;
      const after = retryAfterMs(err.headers);
      const retry = status === 408 || status === 409 || status === 429 || status >= 500;
      if (retry && after !== null && after > MAX_RETRY_AFTER_MS) {
        return { retry: false, after: null, message: `the LLM provider answered ${status} and asks to wait ${Math.round(after / 1000)} s` };
      }
      const why = status === 401 || status === 403 ? ' (check LLM_API_KEY)' : status === 404 ? ' (check LLM_BASE_URL and LLM_MODEL)' : '';
      return { retry, after, message: redact(`the LLM provider answered ${status}${why}: ${err.message}`) };
    }
    if (err instanceof APIConnectionError) return { retry: true, after: null, message: redact(`the LLM provider could not be reached: ${err.message}`) };
    return { retry: false, after: null, message: redact(`the LLM request failed: ${err.message}`) };
  }
}
