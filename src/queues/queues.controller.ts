import { Controller, Get, HttpCode, NotFoundException, Param, Post, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors';
import { JobQueue } from '../jobs/job-queue';
import { JobQueues } from '../jobs/job-queues';
import { withinDeadline } from '../redis/redis-errors';
import { AdminOnly } from '../security/api-key.guard';
import { StatusService } from '../status/status.service';
import { QueuePausedView, QueueView, RetriedView } from './dto/queue-view.dto';

/** Queue commands answer within this, or the request is a 503 (Redis away). */
const ANSWER_WITHIN_MS = 2000;

/**
 * The queues controller for these queue names (the kinds of job declare them; the API docs list them).
 */
export function queuesController(names: readonly string[]): Type<unknown> {
  const NAMES = [...names];

  /** Queue control for scripts and operators: counts, pause, resume, retry of failed jobs. */
  @ApiTags('queues')
  @ApiErrors(503)
  @Controller('queues')
  class QueuesController {
    constructor(
      private readonly queues: JobQueues,
      private readonly status: StatusService,
    ) {}

    @Get()
    @ApiOperation({ summary: 'Every queue with its job counts per state and whether it is paused' })
    @ApiOkResponse({ type: [QueueView] })
    async listQueues(): Promise<QueueView[]> {
      return Promise.all(
        NAMES.map(async (name) => {
          const queue = this.queue(name);
          const [counts, paused] = await withinDeadline(Promise.all([queue.counts(), queue.isPaused()]), ANSWER_WITHIN_MS, `the queue ${name}`);
          return { name, paused, counts };
        }),
      );
    }

    @Post(':name/pause')
    @AdminOnly()
    @HttpCode(200)
    @ApiOperation({ summary: 'Pause a queue for every worker (running jobs finish)' })
    @ApiParam({ name: 'name', enum: NAMES })
    @ApiOkResponse({ type: QueuePausedView })
    @ApiErrors([403, 'Not an admin key (ADMIN_API_KEYS)'], [404, 'No such queue'])
    async pauseQueue(@Param('name') name: string): Promise<QueuePausedView> {
      await withinDeadline(this.queue(name).pause(), ANSWER_WITHIN_MS, `pausing ${name}`);
      return { name, paused: true };
    }

    @Post(':name/resume')
    @AdminOnly()
    @HttpCode(200)
    @ApiOperation({ summary: 'Resume a paused queue' })
    @ApiParam({ name: 'name', enum: NAMES })
    @ApiOkResponse({ type: QueuePausedView })
    @ApiErrors([403, 'Not an admin key (ADMIN_API_KEYS)'], [404, 'No such queue'])
    async resumeQueue(@Param('name') name: string): Promise<QueuePausedView> {
      await withinDeadline(this.queue(name).resume(), ANSWER_WITHIN_MS, `resuming ${name}`);
      return { name, paused: false };
    }

    @Post(':name/retry-failed')
    @AdminOnly()
    @HttpCode(200)
    @ApiOperation({ summary: 'Retry every failed job of a queue', description: 'Their status records go from FAILURE back to RETRY.' })
    @ApiParam({ name: 'name', enum: NAMES })
    @ApiOkResponse({ type: RetriedView })
    @ApiErrors([403, 'Not an admin key (ADMIN_API_KEYS)'], [404, 'No such queue'])
    async retryFailedJobs(@Param('name') name: string): Promise<RetriedView> {
      // Each record is reopened before its job is queued again: the job then starts from RETRY, not FAILURE.
      const retried = await withinDeadline(
        this.queue(name).retryFailed((data) => this.status.reopen(data.recordId).then(() => undefined)),
        ANSWER_WITHIN_MS,
        `the failed jobs of ${name}`,
      );
      return { name, retried };
    }

    private queue(name: string): JobQueue {
      if (!NAMES.includes(name)) throw new NotFoundException(`no queue "${name}"; queues: ${NAMES.join(', ')}`);
      return this.queues.reachable(name);
    }
  }
  return QueuesController;
}
