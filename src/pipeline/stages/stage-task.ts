import { AnalysisOptions, AnalysisStage } from '../../analysis/analysis-engine';
import { ErrorCode } from '../../common/errors';

/** Slots of the shared control array between the main thread and a stage thread. */
export const CONTROL_STOP = 0;
export const CONTROL_PROGRESS = 1;
/** Set to 1 (and notified) by the thread when it starts the task: time limits count from then. */
export const CONTROL_STARTED = 2;
export const CONTROL_SLOTS = 3;

/** Why a stage is asked to stop, written into the control array. */
export enum StopReason {
  None = 0,
  Cancel = 1,
  SoftTimeLimit = 2,
}

export interface StageTask {
  stage: AnalysisStage;
  /** The stage's input, or its JSON (as the previous stage thread wrote it). */
  input: unknown;
  inputIsJson: boolean;
  /** Answer with the output's JSON rather than the object (see StageRunner). */
  outputAsJson: boolean;
  options: AnalysisOptions;
  /** Int32Array over a SharedArrayBuffer: [stop reason, progress 0..100, started]. */
  control: SharedArrayBuffer;
}

/** Errors do not keep their class across threads: a stage thread answers with this instead of throwing. */
export type StageTaskResult = { ok: true; output: unknown } | { ok: false; code: ErrorCode | null; message: string };

/**
 * A stage output kept as the JSON text a stage thread wrote: between threaded stages the payload (megabytes
 * for a long text) crosses the main thread as one string, never walked, cloned or re-serialised there.
 */
export interface JsonPayload {
  json: string;
}

export const isJsonPayload = (v: unknown): v is JsonPayload =>
  typeof v === 'object' && v !== null && typeof (v as JsonPayload).json === 'string' && Object.keys(v).length === 1;
