// What the app asks of a language model and what it gets back, in its own types: no client library in here.

/** One request: instructions, the input (JSON text), and the JSON schema the answer must follow. */
export interface LlmRequest {
  /** What the request is for (confirm, propose, translate): its metrics label and the schema's name. */
  task: string;
  system: string;
  user: string;
  schema: Record<string, unknown>;
  maxOutputTokens: number;
}

export interface LlmReply {
  /** The answer's text, meant to be JSON (the caller parses and validates it). */
  text: string;
  /** The model stopped at its token limit: the JSON is cut short. */
  truncated: boolean;
  usage: { input: number; output: number };
}

/** A model behind an API. `complete` retries what is worth retrying and throws LlmUnavailableError otherwise. */
export interface LlmProvider {
  readonly provider: string;
  readonly model: string;
  complete(request: LlmRequest, signal: AbortSignal): Promise<LlmReply>;
}

/** The provider could not answer (after the retries), or refused (a bad key, an unknown model). */
export class LlmUnavailableError extends Error {
  constructor(
    message: string,
    /** Whether another try later may succeed (an outage), or not (a bad key, an unknown model). */
    readonly passing: boolean,
  ) {
    super(message);
    this.name = 'LlmUnavailableError';
  }
}

/** The token under which the configured provider is injected; null when LLM_PROVIDER=none. */
export const LLM_PROVIDER = Symbol('LLM_PROVIDER');
