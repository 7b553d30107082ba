// A local OpenAI-compatible server for the tests: real HTTP on /v1/chat/completions with
// response_format json_schema, answering like a small, careful model, with faults on demand. What it knows:
// a few idioms it finds in the lines it is sent, which uses are literal, and how to "translate" (a tag of
// the language before the English, enough to check that every expression reaches every language).
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** Idioms the fake model finds in lines (when the lexicon has not). */
const KNOWN_IDIOMS: { expression: string; pattern: RegExp; category: string }[] = [
  { expression: 'sweat the small stuff', pattern: /\bsweat(?:s|ed|ing)? the small stuff\b/i, category: 'idiom' },
  { expression: 'go cold turkey', pattern: /\b(?:go|goes|went|going|gone) cold turkey\b/i, category: 'idiom' },
  { expression: 'take a rain check', pattern: /\b(?:take|takes|took|taking) a rain check\b/i, category: 'fixed_phrase' },
];

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'truncated' }
  /** Items that break the schema (a confirm without `idiomatic`), beside good ones. */
  | { kind: 'invalid-items' };

export interface SeenRequest {
  task: string;
  at: number;
  body: any;
  authorization: string | undefined;
  /** The client went away before the answer (a cancel). */
  aborted: boolean;
  /** The tokens the answer said it used (in and out). */
  tokens: number;
}

export class FakeLlm {
  readonly requests: SeenRequest[] = [];
  private readonly faults: Fault[] = [];
  /**
   * Expressions the model finds not used as themselves in their line. By default "take on", as a careful
   * model would in "I'll take a rain check on dinner".
   */
  literal = new Set<string>(['take on']);
  /** Extra proposals: an expression not in the text, and a proposal with made-up times and a wrong line. */
  invent = false;
  wrongTimes = false;
  private readonly open = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeLlm> {
    const fake: FakeLlm = new FakeLlm(createServer((req, res) => void fake.handle(req, res)));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** The next requests meet these faults, one each, in order. */
  fail(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.literal = new Set(['take on']);
    this.invent = false;
    this.wrongTimes = false;
  }

  tasks(): string[] {
    return this.requests.map((r) => r.task);
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      return;
    }
    const body = JSON.parse(raw);
    const task: string = body.response_format?.json_schema?.name ?? 'unknown';
    const seen: SeenRequest = { task, at: Date.now(), body, authorization: req.headers.authorization, aborted: false, tokens: 0 };
    this.requests.push(seen);
    this.open.add(res);
    res.on('close', () => {
      this.open.delete(res);
      if (!res.writableEnded) seen.aborted = true;
    });
    if (body.response_format?.type !== 'json_schema' || !body.response_format.json_schema?.schema) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'response_format json_schema expected' } }));
      return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'hang') return; // never answers: the client's timeout or a cancel ends it
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(JSON.stringify({ error: { message: `fault ${fault.status}`, type: 'server_error' } }));
      return;
    }
    const input = JSON.parse(body.messages.find((m: any) => m.role === 'user').content);
    let content = JSON.stringify(this.answer(task, input, fault?.kind === 'invalid-items'));
    let finish = 'stop';
    if (fault?.kind === 'malformed') content = `Sure! Here is the JSON: ${content.slice(0, 20)}`;
    if (fault?.kind === 'truncated') {
      content = content.slice(0, Math.max(10, Math.floor(content.length / 2)));
      finish = 'length';
    }
    const usage = { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(content.length / 4) };
    seen.tokens = usage.prompt_tokens + usage.completion_tokens;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
        usage: {
          prompt_tokens: Math.ceil(raw.length / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil((raw.length + content.length) / 4),
        },
      }),
    );
  }

  private answer(task: string, input: any, withInvalid: boolean): unknown {
    if (task === 'confirm') {
      const items = input.items.map((it: any) => ({
        id: it.id,
        idiomatic: !this.literal.has(it.expression),
        definition: `(checked) ${it.meaning}`.slice(0, 280),
      }));
      return { items: withInvalid ? [...items.slice(1), { id: items[0]?.id, definition: 'no verdict' }] : items };
    }
    if (task === 'propose') {
      const items: any[] = [];
      for (const s of input.sentences) {
        for (const idiom of KNOWN_IDIOMS) {
          const m = idiom.pattern.exec(s.text);
          if (!m || input.known.includes(idiom.expression)) continue;
          const item: any = {
            expression: idiom.expression,
            category: idiom.category,
            sentence: s.id,
            quote: m[0],
            definition: `${idiom.expression}: as a learner says it`,
            difficulty: 'intermediate',
          };
          if (this.wrongTimes) Object.assign(item, { sentence: s.id + 1000, startMs: 987_654, endMs: 999_999 });
          items.push(item);
        }
      }
      if (this.invent && input.sentences.length)
        items.push({
          expression: 'kick the bucket',
          category: 'idiom',
          sentence: input.sentences[0].id,
          quote: 'kicked the bucket',
          definition: 'to die',
          difficulty: 'advanced',
        });
      return { items };
    }
    if (task === 'translate') {
      return {
        items: input.items.map((it: any) => ({
          id: it.id,
          similar: [`${it.expression} (similar)`],
          translations: input.languages.map((language: string) => ({
            language,
            expression: `[${language}] ${it.expression}`,
            definition: `[${language}] ${it.definition}`,
            example: `[${language}] ${it.example}`,
          })),
        })),
      };
    }
    return { items: [] };
  }
}
