import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { StatusModule } from '../status/status.module';
import { CancelChannel } from './cancel-channel';
import { JobHandlersRegistry } from './job-handlers';
import { JobKind, queuesOf, resolveKind } from './job-kind';
import { JobQueue, TrackedJobData } from './job-queue';
import { JobQueues } from './job-queues';
import { JobRunner } from './job-runner';
import { JobWorkers } from './job-workers';
import { JobsService } from './jobs.service';
import { LostJobWatchdog } from './lost-job.watchdog';
import { WorkerRegistry } from './worker-registry';

/** Every queue name of these kinds, each once. */
export const queueNames = (kinds: readonly JobKind[]) => [...new Set(kinds.flatMap(queuesOf))];

/**
 * The job platform: one Bull queue per queue the kinds of job declare, their workers (worker roles), the
 * runner that owns every record's lifecycle, cancel, the lost-job watchdog. The one module that knows Bull;
 * the rest of the app sees JobQueues, JobsService and the kinds' declarations.
 */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, declared: readonly JobKind[]): DynamicModule {
    const kinds = declared.map((k) => resolveKind(k, config.env));
    const names = queueNames(kinds);
    const queuesProvider: Provider = {
      provide: JobQueues,
      inject: names.map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue<TrackedJobData>[]) =>
        new JobQueues(
          kinds,
          queues.map((q) => new JobQueue(q)),
        ),
    };
    const env = config.env;
    return {
      module: JobsModule,
      // Configured once at the root (like Bull's own forRoot) and used by every feature that runs jobs.
      global: true,
      imports: [
        StatusModule,
        BullModule.forRootAsync({
          inject: [RedisConnections, RedisKeys],
          useFactory: (connections: RedisConnections, keys: RedisKeys) => ({
            createClient: (type: 'client' | 'subscriber' | 'bclient') => connections.forBull(type),
            prefix: keys.bull(),
            settings: {
              lockDuration: env.STAGE_LOCK_MS,
              lockRenewTime: Math.floor(env.STAGE_LOCK_MS / 2),
              stalledInterval: env.STAGE_STALLED_CHECK_MS,
              // A job whose worker died is run again; one that keeps killing workers fails after the third time.
              maxStalledCount: 2,
            },
          }),
        }),
        BullModule.registerQueue(...names.map((name) => ({ name }))),
      ],
      providers: [
        queuesProvider,
        CancelChannel,
        JobHandlersRegistry,
        JobsService,
        WorkerRegistry,
        ...(config.runsWorkers ? [JobRunner, JobWorkers, LostJobWatchdog] : []),
      ],
      exports: [JobQueues, CancelChannel, JobHandlersRegistry, JobsService, WorkerRegistry],
    };
  }
}
