import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { Observable } from 'rxjs';
import { JobStatus } from '../common/enums';
import { AppConfig } from '../config/app-config';
import { InjectRedis, RedisConnections } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { REVOKE, UPDATE_STAGE } from './status.scripts';
import { PipelineRecord, STAGE_NAMES, StageNumber, StagePatch, StageState, StatusEvent } from './status.types';

/** What an update returned: OK, or the final status / MISSING that stopped it. */
export type UpdateOutcome = 'OK' | 'MISSING' | JobStatus.Success | JobStatus.Failure | JobStatus.Revoked;

type ScriptedRedis = Redis & {
  updateStage(key: string, ...args: string[]): Promise<UpdateOutcome>;
  revokePipeline(key: string, ...args: string[]): Promise<UpdateOutcome>;
};

/**
 * The status store: one Redis hash per pipeline, written only through atomic scripts, with a TTL refreshed on
 * every write, a bounded index of recent pipelines, and change events on Redis pub/sub so that any API process
 * can stream them.
 */
@Injectable()
export class StatusService implements OnApplicationShutdown {
  private readonly redis: ScriptedRedis;
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<(event: StatusEvent) => void>>();

  constructor(
    @InjectRedis() redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {
    redis.defineCommand('updateStage', { numberOfKeys: 1, lua: UPDATE_STAGE });
    redis.defineCommand('revokePipeline', { numberOfKeys: 1, lua: REVOKE });
    this.redis = redis as ScriptedRedis;
  }

  private get ttl(): string {
    return String(this.config.env.STATUS_TTL_SECONDS);
  }

  async create(id: string, options: Record<string, unknown>, now = new Date()): Promise<PipelineRecord> {
    const key = this.keys.pipeline(id);
    const at = now.toISOString();
    const fields: Record<string, string | number> = {
      id, status: JobStatus.Pending, currentStage: '', progress: 0, createdAt: at, updatedAt: at, error: '',
      options: JSON.stringify(options), result: '',
    };
    for (let s = 1; s <= 4; s++) Object.assign(fields, { [`s${s}.status`]: JobStatus.Pending, [`s${s}.progress`]: 0, [`s${s}.attempt`]: 0 });
    const recent = this.keys.recentPipelines();
    const limit = this.config.env.RECENT_PIPELINES_LIMIT;
    await this.redis
      .multi()
      .hset(key, fields)
      .expire(key, this.config.env.STATUS_TTL_SECONDS)
      .zadd(recent, now.getTime(), id)
      // Bounded index: keep the newest entries, and none older than the records' TTL.
      .zremrangebyrank(recent, 0, -limit - 1)
      .zremrangebyscore(recent, '-inf', now.getTime() - this.config.env.STATUS_TTL_SECONDS * 1000)
      .publish(this.keys.pipelineEvents(id), JSON.stringify(this.toEvent(fields)))
      .exec();
    return toRecord(stringify(fields));
  }

  async updateStage(id: string, stage: StageNumber, patch: StagePatch, extra: { overall?: JobStatus; result?: unknown } = {}): Promise<UpdateOutcome> {
    return this.redis.updateStage(
      this.keys.pipeline(id), id, this.ttl, new Date().toISOString(), this.keys.pipelineEvents(id), String(stage), patch.status,
      opt(patch.progress), opt(patch.message), opt(patch.attempt), opt(patch.startedAt?.toISOString()),
      opt(patch.finishedAt?.toISOString()), opt(patch.error), extra.overall ?? '',
      extra.result === undefined ? '' : JSON.stringify(extra.result),
    );
  }

  /** Marks a pipeline REVOKED unless it is already final; returns what it found. */
  async revoke(id: string, message: string): Promise<UpdateOutcome> {
    return this.redis.revokePipeline(this.keys.pipeline(id), id, this.ttl, new Date().toISOString(), this.keys.pipelineEvents(id), message);
  }

  async get<T = unknown>(id: string): Promise<PipelineRecord<T> | null> {
    const raw = await this.redis.hgetall(this.keys.pipeline(id));
    return raw.id ? toRecord<T>(raw) : null;
  }

  async getStatus(id: string): Promise<JobStatus | null> {
    return (await this.redis.hget(this.keys.pipeline(id), 'status')) as JobStatus | null;
  }

  /** Newest first; records that expired are dropped from the index as they are found. */
  async list(limit: number, status?: JobStatus): Promise<PipelineRecord[]> {
    const out: PipelineRecord[] = [];
    const recent = this.keys.recentPipelines();
    const page = Math.max(limit, 50);
    for (let offset = 0; out.length < limit; offset += page) {
      const ids = await this.redis.zrevrange(recent, offset, offset + page - 1);
      if (!ids.length) break;
      const pipe = this.redis.pipeline();
      ids.forEach((id) => pipe.hgetall(this.keys.pipeline(id)));
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

  /** Live changes of one pipeline. One shared subscriber connection per process, subscribed per id on demand. */
  events(id: string): Observable<StatusEvent> {
    return new Observable<StatusEvent>((subscriber) => {
      const channel = this.keys.pipelineEvents(id);
      const listener = (event: StatusEvent) => subscriber.next(event);
      let set = this.listeners.get(channel);
      if (!set) {
        set = new Set();
        this.listeners.set(channel, set);
        this.subscriberConnection().subscribe(channel).catch((err) => subscriber.error(err));
      }
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (!set!.size) {
          this.listeners.delete(channel);
          this.subscriber?.unsubscribe(channel).catch(() => undefined);
        }
      };
    });
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    this.listeners.clear();
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.connections.create('status-events');
      this.subscriber.on('message', (channel: string, message: string) => {
        const event = JSON.parse(message) as StatusEvent;
        this.listeners.get(channel)?.forEach((listener) => listener(event));
      });
    }
    return this.subscriber;
  }

  private toEvent(fields: Record<string, string | number>): StatusEvent {
    return {
      id: String(fields.id), status: fields.status as JobStatus, currentStage: null, progress: Number(fields.progress),
      stage: null, stageStatus: null, stageProgress: null, message: null,
    };
  }
}

const stringify = (fields: Record<string, string | number>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
const opt = (value: string | number | undefined): string => (value === undefined ? '' : String(value));
const orNull = (value: string | undefined): string | null => (value ? value : null);

function toRecord<T>(raw: Record<string, string>): PipelineRecord<T> {
  const stages: StageState[] = STAGE_NAMES.map((name, i) => {
    const p = `s${i + 1}.`;
    return {
      stage: (i + 1) as StageNumber, name, status: raw[`${p}status`] as JobStatus, progress: Number(raw[`${p}progress`] ?? 0),
      message: orNull(raw[`${p}message`]), attempt: Number(raw[`${p}attempt`] ?? 0), startedAt: orNull(raw[`${p}startedAt`]),
      finishedAt: orNull(raw[`${p}finishedAt`]), error: orNull(raw[`${p}error`]),
    };
  });
  return {
    id: raw.id, status: raw.status as JobStatus, currentStage: raw.currentStage ? (Number(raw.currentStage) as StageNumber) : null,
    progress: Number(raw.progress ?? 0), stages, createdAt: raw.createdAt, updatedAt: raw.updatedAt, error: orNull(raw.error),
    options: raw.options ? JSON.parse(raw.options) : {}, result: raw.result ? (JSON.parse(raw.result) as T) : null,
  };
}
