/**
 * Errors a stage can raise. An InputError is the user's to fix: it is never retried and its message is
 * shown as is. Everything else is treated as transient and retried by the queue.
 */
export enum ErrorCode {
  InvalidInput = 'INVALID_INPUT',
  Cancelled = 'CANCELLED',
  SoftTimeLimit = 'SOFT_TIME_LIMIT',
  HardTimeLimit = 'HARD_TIME_LIMIT',
  /** ffmpeg could not read the media: corrupt, truncated, or not what it claims to be. */
  InvalidMedia = 'INVALID_MEDIA',
  DiskFull = 'DISK_FULL',
  /** ffmpeg failed for a reason it did not make clear; worth another attempt. */
  MediaToolFailed = 'MEDIA_TOOL_FAILED',
  /** The LLM provider could not be reached (LLM_REQUIRED=true); worth another attempt. */
  LlmUnavailable = 'LLM_UNAVAILABLE',
  /** The LLM provider refused (a bad key, an unknown model): the configuration's to fix. */
  LlmRefused = 'LLM_REFUSED',
}

export class PipelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PipelineError';
  }

  /** Whether a retry could end differently. */
  get retryable(): boolean {
    return [ErrorCode.SoftTimeLimit, ErrorCode.HardTimeLimit, ErrorCode.MediaToolFailed, ErrorCode.LlmUnavailable].includes(this.code);
  }
}

export class InputError extends PipelineError {
  constructor(message: string) {
    super(ErrorCode.InvalidInput, message);
    this.name = 'InputError';
  }
}

/** Absolute paths in a tool's words: users see what went wrong, not where the server keeps its files. */
export function redactPaths(text: string): string {
  return text.replace(/(?:\/[\w.@%+=,-]+){2,}\/?/g, (path) => `<${path.split('/').filter(Boolean).pop()}>`);
}

/**
 * A system error as a job's failure a user can act on: a full disk named so (not retried), never the
 * server's paths; anything else unchanged.
 */
export function asJobError(err: Error): Error {
  if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return new PipelineError(ErrorCode.DiskFull, `the disk is full: ${redactPaths(err.message)}`);
  return err;
}
