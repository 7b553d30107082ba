import { JobOptions } from 'bull';
import { StageSpec } from '../status/status.types';

/** The steps of a video job; weights are their usual share of the work (the encodes dominate). */
export const VIDEO_STEPS: StageSpec[] = [
  { name: 'probe', weight: 1 },
  { name: 'analysis', weight: 4 },
  { name: 'clips', weight: 50 },
  { name: 'slides', weight: 25 },
  { name: 'assembly', weight: 6 },
  { name: 'long-form', weight: 6 },
  { name: 'shorts', weight: 8 },
];

export enum VideoStep {
  Probe = 1,
  Analysis = 2,
  Clips = 3,
  Slides = 4,
  Assembly = 5,
  LongForm = 6,
  Shorts = 7,
}

export const SLIDES_STEPS: StageSpec[] = [{ name: 'render', weight: 1 }];

export function videoJobOptions(retries: number, retryDelayMs: number): JobOptions {
  return { attempts: retries + 1, backoff: { type: 'fixed', delay: retryDelayMs }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600, count: 1000 } };
}

/** The job's own folder under TEMP_ROOT: uploads in `upload/`, intermediates in `work/`. */
export const jobTempDir = (tempRoot: string, id: string) => `${tempRoot.replace(/\/+$/, '')}/${id}`;
