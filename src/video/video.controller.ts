import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  MessageEvent,
  Param,
  ParseBoolPipe,
  Post,
  Query,
  Req,
  Sse,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { IdParam } from '../common/id-param';
import { Observable, map } from 'rxjs';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { ListPipelinesDto } from '../pipeline/dto/list-pipelines.dto';
import { CreateSlidesDto, CreateVideoDto, CreateVideoFromMediaDto, UploadVideoDto } from './dto/create-video.dto';
import { RequestId } from '../logging/request-id.decorator';
import { UPLOAD_FIELDS, UploadCleanupFilter, UploadRequest } from './upload';
import { VideoService } from './video.service';

@ApiTags('videos')
@Controller()
export class VideoController {
  constructor(
    private readonly videos: VideoService,
    private readonly status: StatusService,
  ) {}

  @Post('videos')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(FileFieldsInterceptor(UPLOAD_FIELDS))
  @UseFilters(UploadCleanupFilter)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadVideoDto })
  @ApiOperation({
    summary: 'Upload an episode and its subtitles',
    description:
      'Both files are checked by content (ffprobe must see a video stream; the subtitles must parse). Returns at once; follow the job with GET /videos/{id} or its events.',
  })
  @ApiAcceptedResponse({ description: 'Queued; status PENDING' })
  @ApiBadRequestResponse({ description: 'A file is missing, not a video, or its subtitles do not parse; the message names the file and why' })
  upload(
    @UploadedFiles() files: { video?: Express.Multer.File[]; subtitles?: Express.Multer.File[] } | undefined,
    @Body() dto: CreateVideoDto,
    @Req() req: UploadRequest,
    @RequestId() requestId?: string,
  ): Promise<StatusRecord> {
    return this.videos.createFromUpload(req.videoJobId ?? 'none', files?.video?.[0]?.path, files?.subtitles?.[0]?.path, dto, requestId);
  }

  @Post('videos/from-media')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a job on files already under MEDIA_ROOT',
    description: 'Paths are relative to MEDIA_ROOT; anything outside it (.., absolute paths elsewhere, symlinks out) is refused.',
  })
  @ApiAcceptedResponse({ description: 'Queued; status PENDING' })
  fromMedia(@Body() dto: CreateVideoFromMediaDto, @RequestId() requestId?: string): Promise<StatusRecord> {
    return this.videos.createFromMedia(dto, requestId);
  }

  @Get('videos')
  @ApiOperation({ summary: 'Recent video jobs, newest first' })
  list(@Query() query: ListPipelinesDto) {
    return this.videos.list(query.limit, query.status);
  }

  @Get('videos/:id')
  @ApiOperation({ summary: 'A video job: its steps (probe, analysis, clips, slides, assembly, long-form, shorts) with progress, overall progress and ETA' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNotFoundResponse({ description: 'Unknown or expired id' })
  get(@Param('id', IdParam()) id: string) {
    return this.videos.get(id);
  }

  @Get('videos/:id/expressions')
  @ApiOperation({ summary: 'The expressions the job works on (once its analysis step is done)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConflictResponse({ description: 'The analysis has not finished yet' })
  expressions(@Param('id', IdParam()) id: string) {
    return this.videos.expressions(id);
  }

  @Get('videos/:id/files')
  @ApiOperation({ summary: 'The files a finished job made: path (for GET /files/{path}), kind, size, duration' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConflictResponse({ description: 'The job is not SUCCESS' })
  files(@Param('id', IdParam()) id: string) {
    return this.videos.files(id);
  }

  @Sse('videos/:id/events')
  @ApiOperation({ summary: 'Live status of a video job (Server-Sent Events); closes at a final status' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/event-stream')
  async events(@Param('id', IdParam()) id: string): Promise<Observable<MessageEvent>> {
    await this.videos.get(id); // 404 before the stream starts
    return this.status.follow(id).pipe(map((e): MessageEvent => ({ type: 'status', data: e })));
  }

  @Delete('videos/:id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Cancel a video job',
    description: 'Kills its ffmpeg processes and removes its temp files; with ?purge=true its outputs too (also for a finished job).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'purge', required: false, type: Boolean })
  @ApiConflictResponse({ description: 'Already final and no purge asked' })
  cancel(@Param('id', IdParam()) id: string, @Query('purge', new ParseBoolPipe({ optional: true })) purge?: boolean) {
    return this.videos.cancel(id, purge ?? false);
  }

  @Post('slides')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Render educational slides alone', description: 'A job of its own; its result lists the PNG files.' })
  @ApiAcceptedResponse({ description: 'Queued' })
  createSlides(@Body() dto: CreateSlidesDto, @RequestId() requestId?: string) {
    return this.videos.createSlides(dto, requestId);
  }

  @Get('slides/:id')
  @ApiOperation({ summary: 'A slides job and, once SUCCESS, its files' })
  @ApiParam({ name: 'id', format: 'uuid' })
  getSlides(@Param('id', IdParam()) id: string) {
    return this.videos.get(id, 'slides');
  }
}
