import { RedisUnavailableError } from '../redis/redis-errors';
import { JobKind, queuesOf } from './job-kind';
import { JobQueue } from './job-queue';

/** Every queue of the app, by name, and the kinds of job that run on them. */
export class JobQueues {
  private readonly byName: Map<string, JobQueue>;

  constructor(
    readonly kinds: readonly JobKind[],
    queues: JobQueue[],
  ) {
    this.byName = new Map(queues.map((q) => [q.name, q]));
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  all(): JobQueue[] {
    return [...this.byName.values()];
  }

  get(name: string): JobQueue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    return queue;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * A queue whose connection is up, for a command somebody waits for. While Redis is away none is sent: the
   * caller would hang, and a command given up on (pause) would still run when Redis came back.
   */
  reachable(name: string): JobQueue {
    const queue = this.get(name);
    if (!queue.connected) throw new RedisUnavailableError(`the queue ${name} is not connected`);
    return queue;
  }

  kind(name: string): JobKind {
    const kind = this.kinds.find((k) => k.kind === name);
    if (!kind) throw new Error(`no kind of job "${name}"`);
    return kind;
  }

  /** The kind a queue serves. */
  kindOfQueue(queue: string): JobKind {
    return this.kinds.find((k) => queuesOf(k).includes(queue))!;
  }
}
