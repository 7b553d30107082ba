/** The one place that builds Redis keys and channel names; every one of them starts with the prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The status record of a pipeline or a video job (ids are UUIDs, unique across kinds). */
  record(id: string): string {
    return `${this.prefix}:status:${id}`;
  }

  /** Newest-first index of one kind of record. */
  recent(kind: string): string {
    return `${this.prefix}:recent:${kind}`;
  }

  events(id: string): string {
    return `${this.prefix}:events:${id}`;
  }

  /** The worker processes that take jobs from a queue, scored by their last heartbeat. */
  workers(queue: string): string {
    return `${this.prefix}:workers:${queue}`;
  }

  /** Records created within the status TTL, scored by creation: what MAX_LIVE_RECORDS counts. */
  live(): string {
    return `${this.prefix}:live`;
  }

  /** The large jobs of one client that may still be running (MAX_HEAVY_JOBS_PER_CLIENT). */
  heavyJobs(client: string): string {
    return `${this.prefix}:heavy:${client}`;
  }

  /** Output files the cleanup removed, scored by when. */
  swept(): string {
    return `${this.prefix}:cleanup:swept`;
  }

  /** The report of the last cleanup sweep. */
  cleanupReport(): string {
    return `${this.prefix}:cleanup:last`;
  }

  /** A rate-limit counter of one client in one window. */
  throttle(name: string, client: string): string {
    return `${this.prefix}:throttle:${name}:${client}`;
  }

  /** Uploads in progress (scored by their start), which the cleanup never touches. */
  uploads(): string {
    return `${this.prefix}:uploads`;
  }

  /** Worker control messages (cancel), broadcast to every worker process. */
  control(): string {
    return `${this.prefix}:control`;
  }

  /** A lock or turn shared by every process (cleanup, watchdog). */
  lock(name: string): string {
    return `${this.prefix}:${name}:lock`;
  }

  /** A cached answer of the LLM (the hash of what it depends on). */
  llmAnswer(hash: string): string {
    return `${this.prefix}:llm:${hash}`;
  }

  /** Bull's own prefix: its keys become `${bull}:${queue}:...`. */
  bull(): string {
    return `${this.prefix}:bull`;
  }
}
