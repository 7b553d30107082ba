/** The one place that builds Redis keys and channel names; every one of them starts with the prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  pipeline(id: string): string {
    return `${this.prefix}:pipeline:${id}`;
  }

  recentPipelines(): string {
    return `${this.prefix}:pipelines:recent`;
  }

  pipelineEvents(id: string): string {
    return `${this.prefix}:events:pipeline:${id}`;
  }

  /** Worker control messages (cancel), broadcast to every worker process. */
  control(): string {
    return `${this.prefix}:control`;
  }

  /** Bull's own prefix: its keys become `${bull}:${queue}:...`. */
  bull(): string {
    return `${this.prefix}:bull`;
  }
}
