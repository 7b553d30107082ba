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
