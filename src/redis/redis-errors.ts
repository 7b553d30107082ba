/** What ioredis and Bull say when Redis cannot be reached (stopped, restarting, network gone). */
const REDIS_DOWN =
  /MaxRetriesPerRequest|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|connect ETIMEDOUT|Redis is unavailable|CLUSTERDOWN|READONLY|LOADING/;

/**
 * Whether an error only says that Redis was out of reach. Such an error is nobody's fault and says nothing
 * about the job: the work is done again once Redis answers, without counting an attempt.
 */
export function isRedisUnavailable(err: unknown): boolean {
  return err instanceof Error && REDIS_DOWN.test(`${err.name} ${err.message}`);
}

/** Redis cannot be reached: a 503 over HTTP (isRedisUnavailable says so of it). */
export class RedisUnavailableError extends Error {
  constructor(what: string) {
    super(`Redis is unavailable: ${what}; try again shortly`);
    this.name = 'RedisUnavailableError';
  }
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
