/**
 * Called by stage code between units of work: records progress (0..100) and throws when the stage has been
 * asked to stop (cancel, soft time limit). Stages call it before a unit of work, not after the last one:
 * finished work is worth returning. Keeps the stage logic free of any queue or thread machinery.
 */
export type Checkpoint = (progress: number) => void;

export const noCheckpoint: Checkpoint = () => undefined;
