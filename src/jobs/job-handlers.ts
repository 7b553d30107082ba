import { Logger } from '@nestjs/common';
import { JobKind, RecordFacts } from './job-kind';

/** What a step gets besides its input. */
export interface StepContext {
  readonly recordId: string;
  readonly kind: JobKind;
  /** The step's number (1-based) and name. */
  readonly step: number;
  readonly stepName: string;
  readonly attempt: number;
  readonly attempts: number;
  readonly options: Record<string, unknown>;
  readonly meta: Record<string, unknown>;
  readonly requestId?: string;
  /** Aborted when the record is cancelled (and when a sibling failure stops the job). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The step's own progress, 0..1; reports are throttled and never go backwards. */
  progress(fraction: number): void;
  /** What the step's end says in the record ("3 expressions"); "done" when not set. */
  message?: string;
  /** Sets plain fields of the record (no status change): what a later reader needs before the end. */
  setFields(fields: Record<string, string>): Promise<void>;
}

/** One step's work: the output of the step before in, its own output out (the last one's is the result). */
export type StepHandler<I = any, O = any> = (input: I, ctx: StepContext) => Promise<O>;

/** How a job ended, for the kind to tidy up before the outcome is recorded. */
export interface Settlement {
  recordId: string;
  outcome: 'success' | 'retry' | 'failure' | 'cancelled' | 'redis-away' | 'review';
  /** No further attempt will run: whatever the job kept for one can go. */
  final: boolean;
  meta: Record<string, unknown>;
}

/** What a module gives the job platform for a kind of job it declared. */
export interface KindHandlers {
  kind: JobKind;
  steps: Record<string, StepHandler>;
  /** Before a job runs its first step: throw (an InputError) when its inputs are gone. */
  prepare?(ctx: StepContext, input: unknown): Promise<void>;
  /** After its steps ran or failed, before the outcome is recorded (whoever reads it finds things tidy). */
  settle?(settlement: Settlement): Promise<void>;
  /**
   * After a checkpoint step: whether this job stops there for a review (status REVIEW) instead of going on,
   * and the message its record shows meanwhile.
   */
  review?(ctx: StepContext, output: unknown): string | null;
  /** When a record's job that was only queued (or waiting for review) is cancelled. */
  cancelled?(recordId: string): Promise<void>;
  /** When a draining worker gives up waiting for its running jobs: stop what they started (ffmpeg). */
  abandon?(): void;
  facts?: RecordFacts;
}

/**
 * The handlers of every kind of job, registered by the modules that declared the kinds. A worker refuses to
 * start while a declared step has no handler.
 */
export class JobHandlersRegistry {
  private readonly byKind = new Map<string, KindHandlers>();

  /** Registers what a module handles of a kind; several calls for one kind add up (facts, then steps). */
  register(handlers: Partial<KindHandlers> & Pick<KindHandlers, 'kind'>): void {
    const known = this.byKind.get(handlers.kind.kind);
    this.byKind.set(handlers.kind.kind, { ...known, ...handlers, steps: { ...known?.steps, ...handlers.steps } });
  }

  get(kind: string): KindHandlers {
    const handlers = this.byKind.get(kind);
    if (!handlers) throw new Error(`no handlers registered for the kind of job "${kind}"`);
    return handlers;
  }

  /** The handlers of a kind, if this process has them (an API process has only what it needs: facts). */
  find(kind: string): KindHandlers | undefined {
    return this.byKind.get(kind);
  }

  abandonAll(): void {
    for (const handlers of this.byKind.values()) handlers.abandon?.();
  }

  /** The steps of these kinds that nobody handles, as "kind.step". */
  missing(kinds: readonly JobKind[]): string[] {
    return kinds.flatMap((k) => k.steps.filter((s) => !this.byKind.get(k.kind)?.steps[s.name]).map((s) => `${k.kind}.${s.name}`));
  }
}
