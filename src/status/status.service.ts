import { Injectable, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import Redis from 'ioredis';
import { Observable, takeWhile } from 'rxjs';
import { JobStatus, isFinalStatus } from '../common/enums';
import { AppConfig } from '../config/app-config';
import { InjectRedis, RedisConnections } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { ADMIT, REOPEN, RESUME, REVOKE, UPDATE_STAGE } from './status.scripts';
import { RecordKind, StagePatch, StageSpec, StageState, StatusEvent, StatusRecord } from './status.types';

/** What an update returned: OK, or the final status / MISSING that stopped it. */
export type UpdateOutcome = 'OK' | 'MISSING' | JobStatus.Success | JobStatus.Failure | JobStatus.Revoked;

type ScriptedRedis = Redis & {
  updateStage(key: string, ...args: string[]): Promise<UpdateOutcome>;
  revokeRecord(key: string, ...args: string[]): Promise<UpdateOutcome>;
  reopenRecord(key: string, ttl: string, stage: string): Promise<string>;
  resumeRecord(key: string, ...args: string[]): Promise<UpdateOutcome>;
  admitRecord(key: string, now: string, since: string, cap: string, id: string): Promise<number>;
};

/** The service is full: a 503 with Retry-After over HTTP. */
export class CapacityError extends ServiceUnavailableException {}

/**
 * The status store: one Redis hash per job record (of any kind; its stages are given at creation), written only
 * through atomic scripts, with a TTL refreshed on every write, a bounded index of recent records per kind, and
 * change events on Redis pub/sub so that any API process can stream them.
 */
@Injectable()
export class StatusService implements OnApplicationShutdown {
  private readonly redis: ScriptedRedis;
  private subscriber?: Redis;
  private subscriberReady?: Promise<void>;
  private readonly listeners = new Map<string, Set<(event: StatusEvent) => void>>();

  constructor(
    @InjectRedis() redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {
    redis.defineCommand('updateStage', { numberOfKeys: 1, lua: UPDATE_STAGE });
    redis.defineCommand('revokeRecord', { numberOfKeys: 1, lua: REVOKE });
    redis.defineCommand('reopenRecord', { numberOfKeys: 1, lua: REOPEN });
    redis.defineCommand('resumeRecord', { numberOfKeys: 1, lua: RESUME });
    redis.defineCommand('admitRecord', { numberOfKeys: 1, lua: ADMIT });
    this.redis = redis as ScriptedRedis;
  }

  private get ttl(): string {
    return String(this.config.env.STATUS_TTL_SECONDS);
  }

  /**
   * A new record, PENDING. `message` is the first stage's message (why it may wait). Refused with a 503 once
   * MAX_LIVE_RECORDS records were created within the records' TTL: Redis must not fill up.
   */
  async create(
    kind: RecordKind,
    id: string,
    options: Record<string, unknown>,
    stages: StageSpec[],
    { message, now = new Date() }: { message?: string; now?: Date } = {},
  ): Promise<StatusRecord> {
    const { MAX_LIVE_RECORDS: cap, STATUS_TTL_SECONDS: ttl } = this.config.env;
    if (cap > 0 && !(await this.redis.admitRecord(this.keys.live(), String(now.getTime()), String(now.getTime() - ttl * 1000), String(cap), id))) {
      throw new CapacityError(`the service holds ${cap} recent jobs, its limit (MAX_LIVE_RECORDS); try again in a while`);
    }
    const key = this.keys.record(id);
    const at = now.toISOString();
    const fields: Record<string, string | number> = {
      id,
      kind,
      status: JobStatus.Pending,
      currentStage: '',
      progress: 0,
      createdAt: at,
      updatedAt: at,
      error: '',
      options: JSON.stringify(options),
      result: '',
      stageCount: stages.length,
      version: 1,
    };
    stages.forEach(({ name, weight }, i) => {
      const p = `s${i + 1}.`;
      Object.assign(fields, { [`${p}name`]: name, [`${p}weight`]: weight, [`${p}status`]: JobStatus.Pending, [`${p}progress`]: 0, [`${p}attempt`]: 0 });
    });
    if (message) fields['s1.message'] = message;
    const recent = this.keys.recent(kind);
    const limit = this.config.env.RECENT_PIPELINES_LIMIT;
    await this.redis
      .multi()
      .hset(key, fields)
      .expire(key, this.config.env.STATUS_TTL_SECONDS)
      .zadd(recent, now.getTime(), id)
      // Bounded index: keep the newest entries, and none older than the records' TTL.
      .zremrangebyrank(recent, 0, -limit - 1)
      .zremrangebyscore(recent, '-inf', now.getTime() - this.config.env.STATUS_TTL_SECONDS * 1000)
      .publish(this.keys.events(id), JSON.stringify(this.toEvent(fields)))
      .exec();
    return toRecord(stringify(fields));
  }

  async updateStage(id: string, stage: number, patch: StagePatch, extra: { overall?: JobStatus; result?: unknown } = {}): Promise<UpdateOutcome> {
    return this.redis.updateStage(
      this.keys.record(id),
      id,
      this.ttl,
      new Date().toISOString(),
      this.keys.events(id),
      String(stage),
      patch.status,
      opt(patch.progress),
      opt(patch.message),
      opt(patch.attempt),
      opt(patch.startedAt?.toISOString()),
      opt(patch.finishedAt?.toISOString()),
      opt(patch.error),
      extra.overall ?? '',
      extra.result === undefined ? '' : JSON.stringify(extra.result),
    );
  }

  /** Marks a record REVOKED unless it is already final; returns what it found. */
  async revoke(id: string, message: string): Promise<UpdateOutcome> {
    return this.redis.revokeRecord(this.keys.record(id), id, this.ttl, new Date().toISOString(), this.keys.events(id), message);
  }

  /**
   * Marks a record waiting for review after `stage`, keeping what the job needs to go on (`resume`, JSON)
   * and living `ttlSeconds` from now instead of the usual TTL: a person's review takes longer than a step.
   */
  async awaitReview(id: string, stage: number, message: string, resume: unknown, ttlSeconds: number): Promise<UpdateOutcome> {
    const key = this.keys.record(id);
    await this.redis.hset(key, 'resume', JSON.stringify(resume));
    const outcome = await this.updateStage(
      id,
      stage,
      { status: JobStatus.Success, progress: 100, finishedAt: new Date(), message },
      { overall: JobStatus.Review },
    );
    if (outcome === 'OK') await this.redis.expire(key, ttlSeconds);
    return outcome;
  }

  /** A REVIEW record back to PROGRESS with the review's decision in `field`; what it found otherwise. */
  async resumeReview(id: string, field: string, value: string, message: string): Promise<UpdateOutcome> {
    return this.redis.resumeRecord(this.keys.record(id), id, this.ttl, new Date().toISOString(), this.keys.events(id), message, field, value);
  }

  /**
   * A FAILURE record back to RETRY, for a failed job retried by hand; true when it was FAILURE (and, with
   * `stage`, failed at that stage).
   */
  async reopen(id: string, stage?: number): Promise<boolean> {
    return (await this.redis.reopenRecord(this.keys.record(id), this.ttl, stage === undefined ? '' : String(stage))) === 'OK';
  }

  /** The record of that id, if it exists and, when `kind` is given, is of that kind. */
  async get<T = unknown>(id: string, kind?: RecordKind): Promise<StatusRecord<T> | null> {
    const raw = await this.redis.hgetall(this.keys.record(id));
    return raw.id && (!kind || raw.kind === kind) ? toRecord<T>(raw) : null;
  }

  /** Sets plain fields of a record (no status change), refreshing its TTL. */
  async setFields(id: string, fields: Record<string, string>): Promise<void> {
    const key = this.keys.record(id);
    await this.redis.multi().hset(key, fields).expire(key, this.config.env.STATUS_TTL_SECONDS).exec();
  }

  async getField(id: string, field: string): Promise<string | null> {
    return this.redis.hget(this.keys.record(id), field);
  }

  async getStatus(id: string): Promise<JobStatus | null> {
    return (await this.redis.hget(this.keys.record(id), 'status')) as JobStatus | null;
  }

  /** Newest first; records that expired are dropped from the index as they are found. */
  async list(kind: RecordKind, limit: number, status?: JobStatus): Promise<StatusRecord[]> {
    const out: StatusRecord[] = [];
    const recent = this.keys.recent(kind);
    const page = Math.max(limit, 50);
    for (let offset = 0; out.length < limit; offset += page) {
      const ids = await this.redis.zrevrange(recent, offset, offset + page - 1);
      if (!ids.length) break;
      const pipe = this.redis.pipeline();
      ids.forEach((id) => pipe.hgetall(this.keys.record(id)));
      const rows = (await pipe.exec()) ?? [];
      const gone: string[] = [];
      rows.forEach(([, raw], i) => {
        const fields = raw as Record<string, string>;
        if (!fields?.id) return void gone.push(ids[i]);
        const record = toRecord(fields);
        if (!status || record.status === status) out.push(record);
      });
      if (gone.length) await this.redis.zrem(recent, ...gone);
      if (ids.length < page) break;
    }
    return out.slice(0, limit);
  }

  /** Live changes of one record. One shared subscriber connection per process, subscribed per id on demand. */
  events(id: string): Observable<StatusEvent> {
    return new Observable<StatusEvent>((subscriber) => {
      const channel = this.keys.events(id);
      const listener = (event: StatusEvent) => subscriber.next(event);
      let set = this.listeners.get(channel);
      if (!set) {
        set = new Set();
        this.listeners.set(channel, set);
        this.subscribe(channel).catch((err: Error) => subscriber.error(err));
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size) {
          this.listeners.delete(channel);
          this.subscriber?.unsubscribe(channel).catch(() => undefined);
        }
      };
    });
  }

  /**
   * The record's current state, then every change, ending after a final status. Listens before reading the
   * snapshot, so that no change falls between the two; events come in version order, each once. With
   * `afterVersion` (a client resuming from its last event id) the state is sent only if it is newer. Every
   * `checkEveryMs` the record is looked for: a stream whose record expired or was lost ends.
   */
  follow(id: string, { afterVersion = 0, checkEveryMs = 15_000 }: { afterVersion?: number; checkEveryMs?: number } = {}): Observable<StatusEvent> {
    return new Observable<StatusEvent>((subscriber) => {
      let last = afterVersion;
      let live = false;
      const early: StatusEvent[] = [];
      const emit = (e: StatusEvent) => {
        if (e.version <= last) return;
        last = e.version;
        subscriber.next(e);
      };
      const changes = this.events(id).subscribe({
        next: (e) => (live ? emit(e) : early.push(e)),
        error: (err) => subscriber.error(err),
      });
      this.get(id).then(
        (record) => {
          if (!record) return subscriber.complete();
          emit(snapshotEvent(record));
          // Final, and the client has seen it already: nothing more will come.
          if (isFinalStatus(record.status) && record.version <= last) return subscriber.complete();
          early.sort((a, b) => a.version - b.version).forEach(emit);
          live = true;
        },
        (err) => subscriber.error(err),
      );
      const check = setInterval(() => {
        this.redis.exists(this.keys.record(id)).then(
          (found) => found || subscriber.complete(),
          () => undefined, // Redis away for a moment: the next check decides
        );
      }, checkEveryMs);
      return () => {
        clearInterval(check);
        changes.unsubscribe();
      };
    }).pipe(takeWhile((e) => !isFinalStatus(e.status), true));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  /** Resolves once Redis answers again (checked every quarter second); rejects after `timeoutMs`. */
  async whenAvailable(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.redis.ping();
        return;
      } catch (err) {
        if (Date.now() > until) throw new Error(`Redis did not answer for ${Math.round(timeoutMs / 1000)} s: ${(err as Error).message}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  onApplicationShutdown(): void {
    this.listeners.clear();
  }

  /**
   * Subscribes the shared connection to a channel, once it is ready: a SUBSCRIBE sent while the connection
   * still runs its start-up commands turns it into subscriber mode under them, and they fail.
   */
  private async subscribe(channel: string): Promise<void> {
    if (!this.subscriber) {
      const connection = this.connections.create('status-events');
      connection.on('message', (from: string, message: string) => {
        const event = JSON.parse(message) as StatusEvent;
        this.listeners.get(from)?.forEach((listener) => listener(event));
      });
      this.subscriber = connection;
      this.subscriberReady = connection.status === 'ready' ? Promise.resolve() : new Promise((resolve) => connection.once('ready', () => resolve()));
    }
    await this.subscriberReady;
    await this.subscriber.subscribe(channel);
  }

  private toEvent(fields: Record<string, string | number>): StatusEvent {
    return {
      id: String(fields.id),
      version: Number(fields.version),
      status: fields.status as JobStatus,
      currentStage: null,
      progress: Number(fields.progress),
      stage: null,
      stageStatus: null,
      stageProgress: null,
      message: null,
    };
  }
}

const stringify = (fields: Record<string, string | number>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
const opt = (value: string | number | undefined): string => (value === undefined ? '' : String(value));
const orNull = (value: string | undefined): string | null => (value ? value : null);

function snapshotEvent(record: StatusRecord): StatusEvent {
  const stage = record.currentStage ? record.stages[record.currentStage - 1] : null;
  return {
    id: record.id,
    version: record.version,
    status: record.status,
    currentStage: record.currentStage,
    progress: record.progress,
    stage: stage?.stage ?? null,
    stageStatus: stage?.status ?? null,
    stageProgress: stage?.progress ?? null,
    message: stage?.message ?? null,
  };
}

function toRecord<T>(raw: Record<string, string>): StatusRecord<T> {
  const count = Number(raw.stageCount);
  const stages: StageState[] = Array.from({ length: count }, (_, i) => {
    const p = `s${i + 1}.`;
    return {
      stage: i + 1,
      name: raw[`${p}name`],
      status: raw[`${p}status`] as JobStatus,
      progress: Number(raw[`${p}progress`] ?? 0),
      message: orNull(raw[`${p}message`]),
      attempt: Number(raw[`${p}attempt`] ?? 0),
      startedAt: orNull(raw[`${p}startedAt`]),
      finishedAt: orNull(raw[`${p}finishedAt`]),
      error: orNull(raw[`${p}error`]),
    };
  });
  const status = raw.status as JobStatus;
  const progress = Number(raw.progress ?? 0);
  return {
    id: raw.id,
    kind: raw.kind,
    status,
    currentStage: raw.currentStage ? Number(raw.currentStage) : null,
    progress,
    etaSeconds: eta(status, progress, stages[0]?.startedAt ?? null, raw.updatedAt),
    stages,
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    error: orNull(raw.error),
    version: Number(raw.version ?? 1),
    options: raw.options ? JSON.parse(raw.options) : {},
    result: raw.result ? (JSON.parse(raw.result) as T) : null,
  };
}

/** Linear estimate from the progress so far; null until there is some, and once the record is final. */
function eta(status: JobStatus, progress: number, startedAt: string | null, updatedAt: string): number | null {
  if (isFinalStatus(status) || !startedAt || progress <= 0 || progress >= 100) return null;
  const elapsed = (Date.parse(updatedAt) - Date.parse(startedAt)) / 1000;
  return Math.max(0, Math.round((elapsed * (100 - progress)) / progress));
}
