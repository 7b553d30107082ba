import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AnalysisEngine, AnalysisOptions, AnalysisStage, FINAL_ANALYSIS_STAGE } from '../../analysis/analysis-engine';
import { ErrorCode, InputError, PipelineError } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import {
  CONTROL_PROGRESS,
  CONTROL_SLOTS,
  CONTROL_STARTED,
  CONTROL_STOP,
  isJsonPayload,
  JsonPayload,
  StageTask,
  StageTaskResult,
  StopReason,
} from './stage-task';

export interface RunControls {
  /** Aborted to cancel: the stage is asked to stop, and its thread is killed if it has not within a second. */
  cancel: AbortSignal;
  /** Called with the stage's own progress (0..100) when it changes. */
  onProgress(progress: number): void;
}

const PROGRESS_POLL_MS = 200;
const CANCEL_GRACE_MS = 1000;

/** Where the compiled thread entry is; when the tests run the TypeScript sources, the thread runs its source through ts-node. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const js = join(__dirname, 'stage.worker.js');
  if (existsSync(js)) return { filename: js, execArgv: [] };
  return { filename: join(__dirname, 'stage.worker.ts'), execArgv: ['-r', 'ts-node/register/transpile-only'] };
}

/**
 * Runs stage logic on a pool of threads, with Celery's time limits: at the soft limit the stage is asked to
 * stop (it raises at its next checkpoint), at the hard limit its thread is terminated, so nothing of that
 * attempt runs any more when the job fails and its retry is scheduled.
 *
 * Short texts (INLINE_STAGE_MAX_BYTES) run on this thread instead: their stages take well under a
 * millisecond, less than the hop to a thread and back (measured: twice the pipelines per second), and so
 * short a synchronous call cannot outlive a time limit or hold up the event loop.
 */
@Injectable()
export class StageRunner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StageRunner.name);
  private readonly pool: Piscina;
  private inline?: AnalysisEngine;

  constructor(private readonly config: AppConfig) {
    const threads = config.env.ANALYSIS_THREADS;
    const { filename, execArgv } = this.threadEntry();
    this.pool = new Piscina({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 2 ** 31 - 1, maxQueue: Infinity });
  }

  /** The script each stage thread runs. */
  protected threadEntry(): { filename: string; execArgv: string[] } {
    return workerEntry();
  }

  onModuleInit(): void {
    if (this.config.env.INLINE_STAGE_MAX_BYTES > 0) this.inline = new AnalysisEngine();
  }

  /** `textBytes` is the size of the pipeline's text: it decides where the stage runs. */
  async run(stage: AnalysisStage, input: unknown, options: AnalysisOptions, controls: RunControls, textBytes = Infinity): Promise<unknown> {
    if (this.inline && textBytes <= this.config.env.INLINE_STAGE_MAX_BYTES) {
      if (controls.cancel.aborted) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
      const value = isJsonPayload(input) ? JSON.parse(input.json) : input;
      return this.inline.run(stage, value as never, options, () => undefined);
    }
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    const kill = new AbortController();
    let killedFor: ErrorCode | null = null;
    let settled = false;
    const stop = (reason: StopReason) => Atomics.compareExchange(control, CONTROL_STOP, StopReason.None, reason);
    const { STAGE_SOFT_TIME_LIMIT_MS: soft, STAGE_HARD_TIME_LIMIT_MS: hard } = this.config.env;
    const timers: NodeJS.Timeout[] = [];
    // The limits count from when a thread starts the task, not from when it was queued for one.
    void waitForStart(control).then(() => {
      if (kill.signal.aborted || settled) return;
      timers.push(
        setTimeout(() => stop(StopReason.SoftTimeLimit), soft),
        setTimeout(() => {
          killedFor = ErrorCode.HardTimeLimit;
          kill.abort();
        }, hard),
      );
    });
    const onCancel = () => {
      stop(StopReason.Cancel);
      timers.push(
        setTimeout(() => {
          killedFor ??= ErrorCode.Cancelled;
          kill.abort();
        }, CANCEL_GRACE_MS),
      );
    };
    if (controls.cancel.aborted) onCancel();
    controls.cancel.addEventListener('abort', onCancel);
    let reported = 0;
    const poll = setInterval(() => {
      const progress = Atomics.load(control, CONTROL_PROGRESS);
      if (progress > reported) controls.onProgress((reported = progress));
    }, PROGRESS_POLL_MS);
    // Every analysis stage but the last hands a large payload to the next: it stays JSON text end to end
    // (see JsonPayload); the last one's output is the pipeline's result, a value.
    const outputAsJson = stage !== FINAL_ANALYSIS_STAGE;
    const task: StageTask = {
      stage,
      options,
      control: control.buffer,
      outputAsJson,
      input: isJsonPayload(input) ? input.json : input,
      inputIsJson: isJsonPayload(input),
    };
    try {
      const result = (await this.pool.run(task, { signal: kill.signal })) as StageTaskResult;
      if (result.ok) return outputAsJson ? ({ json: result.output as string } satisfies JsonPayload) : result.output;
      if (result.code === ErrorCode.InvalidInput) throw new InputError(result.message);
      if (result.code) throw new PipelineError(result.code, limitMessage(result.code, result.message, soft));
      throw new Error(result.message);
    } catch (err) {
      if (killedFor === ErrorCode.HardTimeLimit) {
        throw new PipelineError(ErrorCode.HardTimeLimit, `hard time limit exceeded: the stage ran for ${hard} ms and was killed`);
      }
      if (killedFor === ErrorCode.Cancelled) throw new PipelineError(ErrorCode.Cancelled, 'cancelled (stage thread stopped)');
      throw err;
    } finally {
      settled = true;
      // Release the start waiter if the task never started (cancelled while queued).
      Atomics.store(control, CONTROL_STARTED, 1);
      Atomics.notify(control, CONTROL_STARTED);
      timers.forEach(clearTimeout);
      clearInterval(poll);
      controls.cancel.removeEventListener('abort', onCancel);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close({ force: true }).catch((err) => this.logger.warn(`closing stage threads: ${(err as Error).message}`));
  }
}

/** Resolves when the thread has flagged the task as started; at once if it already has. */
async function waitForStart(control: Int32Array): Promise<void> {
  const wait = Atomics.waitAsync(control, CONTROL_STARTED, 0);
  if (wait.async) await wait.value;
}

function limitMessage(code: ErrorCode, message: string, softMs: number): string {
  return code === ErrorCode.SoftTimeLimit ? `soft time limit exceeded: the stage was stopped after ${softMs} ms` : message;
}
