import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors';
import { AdminOnly } from '../security/api-key.guard';
import { QueuePausedView, QueueView, RetriedView } from './dto/queue-view.dto';
import { Job, Queue } from 'bull';
import { QueueName } from '../common/enums';
import { reachableQueue, withinDeadline } from '../common/queues';
import { StatusService } from '../status/status.service';

const NAMES = Object.values(QueueName) as string[];
/** Queue commands answer within this, or the request is a 503 (Redis away). */
const ANSWER_WITHIN_MS = 2000;

/** The id of the status record a job reports to, whatever its queue. */
const recordOf = (job: Job) => (job.data?.pipelineId ?? job.data?.videoId ?? job.data?.slidesId) as string | undefined;

/** Queue control for scripts and operators: counts, pause, resume, retry of failed jobs. */
@ApiTags('queues')
@ApiErrors(503)
@Controller('queues')
export class QueuesController {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly status: StatusService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every queue with its job counts per state and whether it is paused' })
  @ApiOkResponse({ type: [QueueView] })
  async listQueues(): Promise<QueueView[]> {
    return Promise.all(
      NAMES.map(async (name) => {
        const queue = this.queue(name);
        const [counts, paused] = await withinDeadline(Promise.all([queue.getJobCounts(), queue.isPaused()]), ANSWER_WITHIN_MS, `the queue ${name}`);
        return { name, paused, counts: { paused: 0, ...counts } };
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
    const failed = await withinDeadline(this.queue(name).getFailed(), ANSWER_WITHIN_MS, `the failed jobs of ${name}`);
    let retried = 0;
    for (const job of failed) {
      const id = recordOf(job);
      if (id) await this.status.reopen(id);
      await job.retry();
      retried++;
    }
    return { name, retried };
  }

  private queue(name: string): Queue {
    if (!NAMES.includes(name)) throw new NotFoundException(`no queue "${name}"; queues: ${NAMES.join(', ')}`);
    return reachableQueue(this.moduleRef, name);
  }
}
