// A stage thread (piscina). It loads the NLP model and the lexicon once, then runs stage tasks. It never
// touches Redis or the queue: the main thread owns all side effects, so killing this thread at any instant
// (hard time limit, cancel) leaves nothing half-written.
import { AnalysisEngine } from '../../analysis/analysis-engine';
import { Checkpoint } from '../../analysis/checkpoint';
import { ErrorCode, PipelineError } from '../../common/errors';
import { CONTROL_PROGRESS, CONTROL_STARTED, CONTROL_STOP, StageTask, StageTaskResult, StopReason } from './stage-task';

const engine = new AnalysisEngine();

export default function runStage(task: StageTask): StageTaskResult {
  const control = new Int32Array(task.control);
  Atomics.store(control, CONTROL_STARTED, 1);
  Atomics.notify(control, CONTROL_STARTED);
  const checkpoint: Checkpoint = (progress) => {
    Atomics.store(control, CONTROL_PROGRESS, Math.floor(progress));
    const stop = Atomics.load(control, CONTROL_STOP) as StopReason;
    if (stop === StopReason.Cancel) throw new PipelineError(ErrorCode.Cancelled, 'cancelled');
    if (stop === StopReason.SoftTimeLimit) throw new PipelineError(ErrorCode.SoftTimeLimit, 'soft time limit exceeded');
  };
  try {
    const input = task.inputIsJson ? JSON.parse(task.input as string) : task.input;
    const output = engine.run(task.stage, input as never, task.options, checkpoint);
    return { ok: true, output: task.outputAsJson ? JSON.stringify(output) : output };
  } catch (err) {
    const e = err as Error;
    return { ok: false, code: err instanceof PipelineError ? err.code : null, message: e.message ?? String(err) };
  }
}
