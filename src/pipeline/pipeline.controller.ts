import { Body, Controller, Delete, Get, HttpCode, HttpStatus, MessageEvent, NotFoundException, Param, ParseIntPipe, Post, Query, Sse } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { IdParam } from '../common/id-param';
import { RequestId } from '../logging/request-id.decorator';
import { Observable, map } from 'rxjs';
import { StatusService } from '../status/status.service';
import { PipelineRecord, StageState } from '../status/status.types';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { ListPipelinesDto } from './dto/list-pipelines.dto';
import { PipelineView, StageView } from './dto/pipeline-view.dto';
import { PipelineService } from './pipeline.service';

@ApiTags('pipelines')
@Controller('pipelines')
export class PipelineController {
  constructor(
    private readonly pipelines: PipelineService,
    private readonly status: StatusService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Start a pipeline', description: 'Queues the four stages for the text or subtitle file; returns at once.' })
  @ApiAcceptedResponse({ type: PipelineView, description: 'Queued; status PENDING' })
  @ApiBadRequestResponse({ description: 'Empty, oversized, binary or unparsable text; unknown field; bad enum. The message names the field.' })
  create(@Body() dto: CreatePipelineDto, @RequestId() requestId?: string): Promise<PipelineRecord> {
    return this.pipelines.create(dto, requestId);
  }

  @Get()
  @ApiOperation({ summary: 'Recent pipelines, newest first' })
  @ApiOkResponse({ type: [PipelineView] })
  list(@Query() query: ListPipelinesDto): Promise<PipelineRecord[]> {
    return this.pipelines.list(query.limit, query.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, per-stage progress and, once SUCCESS, the expressions' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PipelineView })
  @ApiNotFoundResponse({ description: 'Unknown or expired id' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  get(@Param('id', IdParam()) id: string): Promise<PipelineRecord> {
    return this.pipelines.get(id);
  }

  @Get(':id/stages/:stage')
  @ApiOperation({ summary: 'One stage of a pipeline' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'stage', type: Number, description: '1..4: preprocess, features, inference, postprocess' })
  @ApiOkResponse({ type: StageView })
  async stage(
    @Param('id', IdParam()) id: string,
    @Param('stage', new ParseIntPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST })) stage: number,
  ): Promise<StageState> {
    const record = await this.pipelines.get(id);
    const found = record.stages.find((s) => s.stage === stage);
    if (!found) throw new NotFoundException(`stage must be 1, 2, 3 or 4 (got ${stage})`);
    return found;
  }

  @Sse(':id/events')
  @ApiOperation({ summary: 'Live status (Server-Sent Events)', description: 'The current state first, then one event per change; closes at a final status.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/event-stream')
  @ApiNotFoundResponse({ description: 'Unknown or expired id' })
  async events(@Param('id', IdParam()) id: string): Promise<Observable<MessageEvent>> {
    await this.pipelines.get(id); // 404 before the stream starts
    return this.status.follow(id).pipe(map((e): MessageEvent => ({ type: 'status', data: e })));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel a pipeline', description: 'Status REVOKED; the running stage stops within a second or two; no later stage starts.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: PipelineView })
  @ApiConflictResponse({ description: 'Already final; the message gives its status' })
  @ApiNotFoundResponse({ description: 'Unknown or expired id' })
  cancel(@Param('id', IdParam()) id: string): Promise<PipelineRecord> {
    return this.pipelines.cancel(id);
  }
}
