import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { relative } from 'node:path';
import { isFinalStatus } from '../common/enums';
import { checkRoot } from '../common/storage-roots';
import { AppConfig } from '../config/app-config';
import { durationMs } from '../config/env.schema';
import { JobHandlersRegistry } from '../jobs/job-handlers';
import { RecordFacts } from '../jobs/job-kind';
import { KEEP_FAILED_MS } from '../jobs/job-queue';
import { JobQueues } from '../jobs/job-queues';
import { InjectRedis } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { RedisLock } from '../redis/redis-lock';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { InflightUploads, SweptFiles } from '../storage/storage';
import { classifyOutput } from '../video/output-layout';
import { CleanupReport, SweepOptions, SweptKind } from './cleanup.types';
import { sweepTree, Verdict } from './file-sweeper';

const LOCK_TTL_MS = 60_000;
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
    private readonly queues: JobQueues,
    private readonly handlers: JobHandlersRegistry,
    private readonly uploads: InflightUploads,
    private readonly swept: SweptFiles,
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
      await this.redis.set(this.keys.cleanupReport(), JSON.stringify(report));
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
    const raw = await this.redis.get(this.keys.cleanupReport());
    return raw ? (JSON.parse(raw) as CleanupReport) : null;
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
      const paths = swept.splice(0);
      if (!options.dryRun) await this.swept.add(paths, now);
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
        if (active.tempDirs.has(rel[0])) return { remove: false, reason: 'job not final' };
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
        if (active.outputDirs.some((dir) => isInside(rel, dir))) return { remove: false, reason: 'job not final' };
        const { intermediate } = classifyOutput(rel);
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

  /** The records of every kind that says what files its records hold, newest first. */
  private async recordsWithFiles(): Promise<[StatusRecord, RecordFacts][]> {
    const out: [StatusRecord, RecordFacts][] = [];
    for (const kind of this.queues.kinds) {
      const facts = this.handlers.find(kind.kind)?.facts;
      if (!facts) continue;
      for (const record of await this.status.list(kind.kind, this.config.env.RECENT_PIPELINES_LIMIT)) out.push([record, facts]);
    }
    return out;
  }

  /** The temp folders and output folders held by every job that is not final, and by uploads in progress. */
  private async activeJobs(): Promise<{ tempDirs: Set<string>; outputDirs: string[][] }> {
    // Uploads in progress have no record yet: their folders are as untouchable as a running job's.
    const tempDirs = await this.uploads.ids();
    const outputDirs: string[][] = [];
    for (const [record, facts] of await this.recordsWithFiles()) {
      if (isFinalStatus(record.status)) continue;
      const held = facts.held(record);
      for (const dir of held.tempDirs) tempDirs.add(dir);
      for (const dir of held.outputDirs) outputDirs.push(dir.split('/').filter(Boolean));
    }
    return { tempDirs, outputDirs };
  }

  /** Finished jobs whose files this sweep took say so: their file listing answers 410. */
  private async markFilesGone(now: number): Promise<void> {
    for (const [record, facts] of await this.recordsWithFiles()) {
      for (const path of facts.outputs(record)) {
        if (await this.swept.has(path)) {
          await this.status.setFields(record.id, { filesGone: new Date(now).toISOString() });
          break;
        }
      }
    }
  }

  /** Failed jobs kept longer than their week go; status indexes lose entries whose records expired. */
  private async sweepRedis(now: number): Promise<CleanupReport['redis']> {
    let failedJobsRemoved = 0;
    for (const queue of this.queues.all()) failedJobsRemoved += await queue.cleanFailed(KEEP_FAILED_MS);
    let indexEntriesRemoved = 0;
    const oldest = now - this.config.env.STATUS_TTL_SECONDS * 1000;
    for (const kind of this.queues.kinds) indexEntriesRemoved += await this.redis.zremrangebyscore(this.keys.recent(kind.kind), '-inf', oldest);
    await this.swept.forgetOld(now);
    return { failedJobsRemoved, indexEntriesRemoved };
  }
}

/** Whether a path (as segments, relative to its root) lies in a folder (as segments). */
const isInside = (rel: string[], dir: string[]) => dir.length > 0 && dir.length < rel.length && dir.every((s, i) => rel[i] === s);
