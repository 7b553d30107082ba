import { JobOptions } from 'bull';
import { QueueName } from '../common/enums';
import { StageNumber } from '../status/status.types';

export const STAGE_QUEUES: Record<StageNumber, QueueName> = {
  1: QueueName.Preprocess,
  2: QueueName.Features,
  3: QueueName.Inference,
  4: QueueName.Postprocess,
};

export const STAGES: StageNumber[] = [1, 2, 3, 4];

/** One job per pipeline and stage: a duplicate add (a stage re-run after a crash) is a no-op. */
export const stageJobId = (pipelineId: string, stage: StageNumber) => `${pipelineId}:${stage}`;

/** Failed jobs stay for inspection a week at most, and at most this many per queue. */
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 1000 };

export function stageJobOptions(retries: number, retryDelayMs: number): JobOptions {
  return {
    attempts: retries + 1,
    backoff: { type: 'fixed', delay: retryDelayMs },
    // Results live in the status record; a finished job has nothing left to say.
    removeOnComplete: true,
    removeOnFail: KEEP_FAILED,
  };
}
