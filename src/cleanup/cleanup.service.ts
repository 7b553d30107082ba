import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import Redis from 'ioredis';
import { relative } from 'node:path';
import { isFinalStatus, QueueName } from '../common/enums';
import { queueByName } from '../common/queues';
import { checkRoot } from '../common/storage-roots';
import { AppConfig } from '../config/app-config';
import { durationMs } from '../config/env.schema';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { StatusService } from '../status/status.service';
import { episodeDir } from '../video/render-plan';
import { InflightUploads } from '../video/upload';
import { VideoJobOptions, VideoResult } from '../video/video.types';
import { RedisLock } from './cleanup-lock';
import { CleanupReport, SweepOptions, SweptKind } from './cleanup.types';
import { sweepTree, Verdict } from './file-sweeper';

const INTERMEDIATE_KINDS = new Set(['clips', 'slides', 'expressions']);
const LOCK_TTL_MS = 60_000;
const FAILED_JOBS_KEPT_MS = 7 * 86_400_000;
const SWEPT_KEPT_MS = 30 * 86_400_000;
const EXAMPLES = 20;
const ERRORS = 100;

/**
 * The sweep's policy: what may go from TEMP_ROOT and OUTPUT_ROOT, and when. Files of a job that is not final
 * are never touched; nothing outside the roots is ever looked at.
 */
@Injectable()
export class CleanupService implements OnModuleInit {
  private readonly logger = new Logger(CleanupService.name);
  private roots: { output: string; temp: string };

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly status: StatusService,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.roots = { output: checkRoot('OUTPUT_ROOT', this.config.env.OUTPUT_ROOT), temp: checkRoot('TEMP_ROOT', this.config.env.TEMP_ROOT) };
  }

  /** Runs a sweep unless another process is running one; null then. */
  async run(options: SweepOptions): Promise<CleanupReport | null> {
    const lock = new RedisLock(this.redis, this.keys.lock('cleanup'), LOCK_TTL_MS);
    if (!(await lock.acquire())) return null;
    try {
      const report = await this.sweep(options);
      await this.redis.set(`${this.keys.prefix}:cleanup:last`, JSON.stringify(report));
      const r = report.removed;
      this.logger.log(
        `cleanup${report.dryRun ? ' (dry run)' : ''}: removed temp ${r.temp.files} files/${r.temp.bytes} B, intermediate ${r.intermediate.files}/${r.intermediate.bytes} B, ` +
          `final ${r.final.files}/${r.final.bytes} B, ${report.emptyDirsRemoved} empty folders; kept ${Object.values(report.kept).reduce((a, b) => a + b, 0)}; ` +
          `${report.errorCount} errors; ${report.redis.failedJobsRemoved} failed jobs, ${report.redis.indexEntriesRemoved} index entries; ${report.durationMs} ms`,
      );
      return report;
    } finally {
      await lock.release();
    }
  }

  async last(): Promise<CleanupReport | null> {
    const raw = await this.redis.get(`${this.keys.prefix}:cleanup:last`);
    return raw ? (JSON.parse(raw) as CleanupReport) : null;
  }

  /** Whether the cleanup removed this output (relative to OUTPUT_ROOT): a download of it is 410, not 404. */
  async wasSwept(path: string): Promise<boolean> {
    return (await this.redis.zscore(this.sweptKey, path)) !== null;
  }

  private get sweptKey(): string {
    return `${this.keys.prefix}:cleanup:swept`;
  }

  private async sweep(options: SweepOptions): Promise<CleanupReport> {
    const started = Date.now();
    const now = started;
    const env = this.config.env;
    const age = (limit: string) => options.olderThanMs ?? durationMs(limit);
    const active = await this.activeJobs();
    const report: CleanupReport = {
      startedAt: new Date(started).toISOString(),
      finishedAt: '',
      durationMs: 0,
      dryRun: options.dryRun,
      removed: { temp: { files: 0, bytes: 0 }, intermediate: { files: 0, bytes: 0 }, final: { files: 0, bytes: 0 } },
      emptyDirsRemoved: 0,
      kept: {},
      keptExamples: [],
      errors: [],
      errorCount: 0,
      redis: { failedJobsRemoved: 0, indexEntriesRemoved: 0 },
    };
    const swept: string[] = [];
    const flushSwept = async () => {
      if (!swept.length || options.dryRun) return void (swept.length = 0);
      const args = swept.splice(0).flatMap((p) => [now, p]);
      await this.redis.zadd(this.sweptKey, ...args);
    };
    const events = (root: string) => ({
      removed: async (path: string, kind: string, bytes: number) => {
        const tally = report.removed[kind as SweptKind];
        tally.files++;
        tally.bytes += bytes;
        if (root === this.roots.output) {
          swept.push(relative(root, path));
          if (swept.length >= 500) await flushSwept();
        }
      },
      kept: (path: string, reason: string) => {
        report.kept[reason] = (report.kept[reason] ?? 0) + 1;
        if (report.keptExamples.length < EXAMPLES) report.keptExamples.push({ path: relative(root, path), reason });
      },
      error: (path: string, err: Error) => {
        report.errorCount++;
        if (report.errors.length < ERRORS) report.errors.push({ path: relative(root, path), message: err.message });
      },
      emptyDirRemoved: () => void report.emptyDirsRemoved++,
    });

    const tempAge = age(env.CLEANUP_TEMP_MAX_AGE);
    await sweepTree(
      this.roots.temp,
      (rel, mtime): Verdict => {
        if (active.tempIds.has(rel[0])) return { remove: false, reason: 'job not final' };
        return now - mtime > tempAge ? { remove: true, kind: 'temp' } : { remove: false, reason: 'recent' };
      },
      events(this.roots.temp),
      options.dryRun,
    );

    const intermediateAge = age(env.CLEANUP_INTERMEDIATE_MAX_AGE);
    const finalAge = age(env.CLEANUP_OUTPUT_MAX_AGE);
    await sweepTree(
      this.roots.output,
      (rel, mtime): Verdict => {
        if (active.outputDirs.has(rel.slice(0, 3).join('/'))) return { remove: false, reason: 'job not final' };
        const intermediate = rel.length >= 5 && INTERMEDIATE_KINDS.has(rel[3]);
        const limit = intermediate ? intermediateAge : finalAge;
        return now - mtime > limit ? { remove: true, kind: intermediate ? 'intermediate' : 'final' } : { remove: false, reason: 'recent' };
      },
      events(this.roots.output),
      options.dryRun,
    );
    await flushSwept();
    if (!options.dryRun) {
      await this.markFilesGone(now);
      report.redis = await this.sweepRedis(now);
    }
    report.finishedAt = new Date().toISOString();
    report.durationMs = Date.now() - started;
    return report;
  }

  /** Temp folders and episode folders of every video job that is not final. */
  private async activeJobs(): Promise<{ tempIds: Set<string>; outputDirs: Set<string> }> {
    // Uploads in progress have no record yet: their folders are as untouchable as a running job's.
    const tempIds = await new InflightUploads(this.redis, this.keys).ids();
    const outputDirs = new Set<string>();
    for (const record of await this.status.list('video', this.config.env.RECENT_PIPELINES_LIMIT)) {
      if (isFinalStatus(record.status)) continue;
      tempIds.add(record.id);
      const o = record.options as unknown as VideoJobOptions;
      outputDirs.add(episodeDir('', o.showName, o.episodeName, o.language).replace(/^\//, ''));
    }
    return { tempIds, outputDirs };
  }

  /** Finished jobs whose files this sweep took say so: their file listing answers 410. */
  private async markFilesGone(now: number): Promise<void> {
    for (const record of await this.status.list('video', this.config.env.RECENT_PIPELINES_LIMIT)) {
      const files = (record.result as VideoResult | null)?.files ?? [];
      for (const f of files) {
        if ((await this.redis.zscore(this.sweptKey, f.path)) !== null) {
          await this.status.setFields(record.id, { filesGone: new Date(now).toISOString() });
          break;
        }
      }
    }
  }

  /** Failed Bull jobs older than a week go; status indexes lose entries whose records expired. */
  private async sweepRedis(now: number): Promise<CleanupReport['redis']> {
    let failedJobsRemoved = 0;
    for (const name of Object.values(QueueName)) {
      failedJobsRemoved += (await queueByName(this.moduleRef, name).clean(FAILED_JOBS_KEPT_MS, 'failed')).length;
    }
    let indexEntriesRemoved = 0;
    const oldest = now - this.config.env.STATUS_TTL_SECONDS * 1000;
    for (const kind of ['pipeline', 'video', 'slides']) indexEntriesRemoved += await this.redis.zremrangebyscore(this.keys.recent(kind), '-inf', oldest);
    await this.redis.zremrangebyscore(this.sweptKey, '-inf', now - SWEPT_KEPT_MS);
    return { failedJobsRemoved, indexEntriesRemoved };
  }
}
