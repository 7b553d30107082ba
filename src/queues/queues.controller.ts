import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Job, Queue } from 'bull';
import { QueueName } from '../common/enums';
import { queueByName } from '../common/queues';
import { StatusService } from '../status/status.service';

const NAMES = Object.values(QueueName) as string[];

/** The id of the status record a job reports to, whatever its queue. */
const recordOf = (job: Job) => (job.data?.pipelineId ?? job.data?.videoId ?? job.data?.slidesId) as string | undefined;

/** Queue control for scripts and operators: counts, pause, resume, retry of failed jobs. */
@ApiTags('queues')
@Controller('queues')
export class QueuesController {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly status: StatusService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every queue with its job counts per state and whether it is paused' })
  @ApiOkResponse({
    schema: { example: [{ name: 'pipeline.features', paused: false, counts: { waiting: 0, active: 1, completed: 0, failed: 2, delayed: 0, paused: 0 } }] },
  })
  async list() {
    return Promise.all(
      NAMES.map(async (name) => {
        const queue = this.queue(name);
        return { name, paused: await queue.isPaused(), counts: await queue.getJobCounts() };
      }),
    );
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a queue for every worker (running jobs finish)' })
  @ApiParam({ name: 'name', enum: NAMES })
  @ApiNotFoundResponse({ description: 'No such queue' })
  async pause(@Param('name') name: string) {
    await this.queue(name).pause();
    return { name, paused: true };
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused queue' })
  @ApiParam({ name: 'name', enum: NAMES })
  async resume(@Param('name') name: string) {
    await this.queue(name).resume();
    return { name, paused: false };
  }

  @Post(':name/retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry every failed job of a queue', description: 'Their status records go from FAILURE back to RETRY.' })
  @ApiParam({ name: 'name', enum: NAMES })
  async retryFailed(@Param('name') name: string) {
    const failed = await this.queue(name).getFailed();
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
    return queueByName(this.moduleRef, name);
  }
}
