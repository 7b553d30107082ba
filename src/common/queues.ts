import { getQueueToken } from '@nestjs/bull';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bull';
import { QueueName } from './enums';

/** Every queue of the app by name, from wherever its module registered it. */
export function queueByName(moduleRef: ModuleRef, name: QueueName | string): Queue {
  return moduleRef.get<Queue>(getQueueToken(name), { strict: false });
}

/** Redis cannot be reached: a 503 over HTTP (see isRedisUnavailable). */
export class RedisUnavailableError extends Error {
  constructor(what: string) {
    super(`Redis is unavailable: ${what}; try again shortly`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * A queue whose connection is up, for a command somebody waits for. While Redis is away ioredis keeps
 * commands in its offline queue: the caller would hang, and a command given up on (pause) would still run
 * when Redis comes back. So none is sent then.
 */
export function reachableQueue(moduleRef: ModuleRef, name: QueueName | string): Queue {
  const queue = queueByName(moduleRef, name);
  if (queue.client.status !== 'ready') throw new RedisUnavailableError(`the queue ${name} is not connected`);
  return queue;
}

/** The work's result, or a RedisUnavailableError after `ms`: for reads that must answer within a bound. */
export async function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
