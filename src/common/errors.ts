/**
 * Errors a stage can raise. An InputError is the user's to fix: it is never retried and its message is
 * shown as is. Everything else is treated as transient and retried by the queue.
 */
export enum ErrorCode {
  InvalidInput = 'INVALID_INPUT',
  Cancelled = 'CANCELLED',
  SoftTimeLimit = 'SOFT_TIME_LIMIT',
  HardTimeLimit = 'HARD_TIME_LIMIT',
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
    return this.code === ErrorCode.SoftTimeLimit || this.code === ErrorCode.HardTimeLimit;
  }
}

export class InputError extends PipelineError {
  constructor(message: string) {
    super(ErrorCode.InvalidInput, message);
    this.name = 'InputError';
  }
}
