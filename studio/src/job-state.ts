// A job's record kept up to date from its live stream between full reads. Pure.
import type { Job, StatusEvent } from './types';

/** The record after one stream event: its status and overall progress, and the stage the event is about. */
export function applyEvent(job: Job, e: StatusEvent): Job {
  if (e.version <= job.version) return job;
  // A job done, or waiting for review after its checkpoint step: every step up to there is done.
  const doneUpTo = e.status === 'SUCCESS' ? job.stages.length : e.status === 'REVIEW' ? (e.currentStage ?? 0) : 0;
  const stages = job.stages.map((s) => {
    if (s.stage <= doneUpTo) return { ...s, status: 'SUCCESS' as const, progress: 100 };
    if (e.stage === null) return s;
    // Stages before the one under way are done: the stream only reports the one that changed.
    if (s.stage < e.stage && e.status !== 'FAILURE' && s.status !== 'SUCCESS' && e.stageStatus !== 'PENDING')
      return { ...s, status: 'SUCCESS' as const, progress: 100 };
    if (s.stage !== e.stage) return s;
    return {
      ...s,
      status: e.stageStatus ?? s.status,
      progress: e.stageProgress ?? (e.stageStatus === 'SUCCESS' ? 100 : s.progress),
      message: e.message ?? s.message,
    };
  });
  return {
    ...job,
    status: e.status,
    progress: Math.max(job.progress, e.progress),
    currentStage: e.currentStage ?? job.currentStage,
    stages,
    version: e.version,
  };
}
