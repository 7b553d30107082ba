import { Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/http/api-errors';
import { ClientId } from '../security/api-key.guard';
import { IdParam, PositionParam } from '../common/id-param';
import { AppConfig } from '../config/app-config';
import { RequestId } from '../logging/request-id.decorator';
import { ApiEventStream } from '../status/api-event-stream';
import { StageView } from '../status/dto/record-view.dto';
import { lastEventId, streamStatus } from '../status/sse';
import { StatusService } from '../status/status.service';
import { StageState } from '../status/status.types';
import { PIPELINE_STAGE_LIST as STAGE_LIST, PIPELINE_STAGE_NAMES as STAGE_NAMES, PipelineRecord } from './pipeline.job';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { ListPipelinesDto } from './dto/list-pipelines.dto';
import { PipelineView } from './dto/pipeline-view.dto';
import { PipelineService } from './pipeline.service';

@ApiTags('pipelines')
@ApiErrors(503)
@Controller('pipelines')
export class PipelineController {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly status: StatusService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start a pipeline', description: `Queues the stages (${STAGE_LIST}) for the text or subtitle file; returns at once.` })
  @ApiAcceptedResponse({ type: PipelineView, description: 'Queued; status PENDING' })
  @ApiErrors([400, 'Empty, oversized, binary or unparsable text; unknown field; bad value. The message names the field.'], 413, 415, [
    429,
    'Too many large jobs of this client running (MAX_HEAVY_JOBS_PER_CLIENT), or the rate limit',
  ])
  createPipeline(@Body() dto: CreatePipelineDto, @ClientId() client?: string, @RequestId() requestId?: string): Promise<PipelineRecord> {
    return this.pipelines.create(dto, requestId, client);
  }

  @Get()
  @ApiOperation({ summary: 'Recent pipelines, newest first' })
  @ApiOkResponse({ type: [PipelineView] })
  @ApiErrors(400)
  listPipelines(@Query() query: ListPipelinesDto): Promise<PipelineRecord[]> {
    return this.pipelines.list(query.limit, query.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, per-stage progress and, once SUCCESS, the expressions' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PipelineView })
  @ApiErrors(400, 404)
  getPipeline(@Param('id', IdParam()) id: string): Promise<PipelineRecord> {
    return this.pipelines.get(id);
  }

  @Get(':id/stages/:stage')
  @ApiOperation({ summary: 'One stage of a pipeline' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'stage', schema: { type: 'integer', minimum: 1, maximum: STAGE_NAMES.length }, description: STAGE_LIST })
  @ApiOkResponse({ type: StageView })
  @ApiErrors(400, 404)
  async getPipelineStage(@Param('id', IdParam()) id: string, @Param('stage', PositionParam('stage', STAGE_NAMES.length)) stage: number): Promise<StageState> {
    const record = await this.pipelines.get(id);
    const found = record.stages.find((s) => s.stage === stage);
    if (!found) {
      const list = record.stages.map((s) => `${s.stage}: ${s.name}`).join(', ');
      throw new NotFoundException(`stage must be a whole number from 1 to ${record.stages.length} (${list}); got ${stage}`);
    }
    return found;
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'Live status (Server-Sent Events)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEventStream('the pipeline')
  @ApiErrors(400, 404)
  async streamPipelineEvents(@Param('id', IdParam()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pipelines.get(id); // 404 before the stream starts
    const heartbeatMs = this.config.env.SSE_HEARTBEAT_MS;
    streamStatus(req, res, this.status.follow(id, { afterVersion: lastEventId(req), checkEveryMs: heartbeatMs }), heartbeatMs);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel a pipeline', description: 'Status REVOKED; the running stage stops within a second or two; no later stage starts.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: PipelineView })
  @ApiErrors(400, 404, [409, 'Already final; the message gives its status'])
  cancelPipeline(@Param('id', IdParam()) id: string): Promise<PipelineRecord> {
    return this.pipelines.cancel(id);
  }
}
