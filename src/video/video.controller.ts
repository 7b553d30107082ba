import {
  Body,
  Controller,
  Delete,
  Get,
  GoneException,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/http/api-errors';
import { assertAdmin, Caller, CallerRole, ClientId, PresentedKey } from '../security/api-key.guard';
import { MediaLink, MediaLinks } from '../security/media-links';
import { Optional } from '../common/http/validation';
import { IdParam } from '../common/id-param';
import { AppConfig } from '../config/app-config';
import { RequestId } from '../logging/request-id.decorator';
import { ListPipelinesDto } from '../pipeline/dto/list-pipelines.dto';
import { ExpressionView } from '../pipeline/dto/pipeline-view.dto';
import { ApiEventStream } from '../status/api-event-stream';
import { lastEventId, streamStatus } from '../status/sse';
import { StatusService } from '../status/status.service';
import { StatusRecord } from '../status/status.types';
import { CreateSlidesDto, CreateVideoDto, CreateVideoFromMediaDto, UploadVideoDto } from './dto/create-video.dto';
import { RenderVideoDto } from './dto/render-video.dto';
import { sendFileWithRange } from './files.controller';
import { MediaLinkView, OutputFileView, SlidesJobView, VideoJobView } from './dto/video-view.dto';
import { UPLOAD_FIELDS, UploadCleanupFilter, UploadRequest } from './upload';
import { VIDEO_JOB } from './video.job';
import { VideoService } from './video.service';

const BINARY = { schema: { type: 'string', format: 'binary' } };

const VIDEO_STEP_NAMES = VIDEO_JOB.steps.map((s) => s.name).join(', ');

/** Query strings are text: only the words true and false are booleans. */
const strictBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CancelVideoQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Also remove the outputs (for a finished job too)' })
  @Optional()
  @Transform(strictBoolean)
  @IsBoolean({ message: 'purge must be true or false' })
  purge: boolean = false;
}

@ApiTags('videos')
@ApiErrors(503)
@Controller()
export class VideoController {
  constructor(
    private readonly videos: VideoService,
    private readonly status: StatusService,
    private readonly config: AppConfig,
    private readonly links: MediaLinks,
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
  @ApiAcceptedResponse({ type: VideoJobView, description: 'Queued; status PENDING' })
  @ApiErrors([400, 'A file is missing, not a video, or its subtitles do not parse; the message names the file and why'], 413, [
    429,
    'Too many video jobs of this client running (MAX_HEAVY_JOBS_PER_CLIENT), or the rate limit',
  ])
  uploadVideo(
    @UploadedFiles() files: { video?: Express.Multer.File[]; subtitles?: Express.Multer.File[] } | undefined,
    @Body() dto: CreateVideoDto,
    @Req() req: UploadRequest,
    @ClientId() client?: string,
    @RequestId() requestId?: string,
  ): Promise<StatusRecord> {
    return this.videos.createFromUpload(req.videoJobId ?? 'none', files?.video?.[0]?.path, files?.subtitles?.[0]?.path, dto, requestId, client);
  }

  @Post('videos/from-media')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a job on files already under MEDIA_ROOT',
    description: 'Paths are relative to MEDIA_ROOT; anything outside it (.., absolute paths elsewhere, symlinks out) is refused.',
  })
  @ApiAcceptedResponse({ type: VideoJobView, description: 'Queued; status PENDING' })
  @ApiErrors(400, 415, [429, 'Too many video jobs of this client running (MAX_HEAVY_JOBS_PER_CLIENT), or the rate limit'])
  createVideoFromMedia(@Body() dto: CreateVideoFromMediaDto, @ClientId() client?: string, @RequestId() requestId?: string): Promise<StatusRecord> {
    return this.videos.createFromMedia(dto, requestId, client);
  }

  @Get('videos')
  @ApiOperation({ summary: 'Recent video jobs, newest first' })
  @ApiOkResponse({ type: [VideoJobView] })
  @ApiErrors(400)
  listVideos(@Query() query: ListPipelinesDto): Promise<StatusRecord[]> {
    return this.videos.list(query.limit, query.status);
  }

  @Get('videos/:id')
  @ApiOperation({ summary: `A video job: its steps (${VIDEO_STEP_NAMES}) with progress, overall progress and ETA` })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VideoJobView })
  @ApiErrors(400, 404)
  getVideo(@Param('id', IdParam()) id: string): Promise<StatusRecord> {
    return this.videos.get(id);
  }

  @Get('videos/:id/expressions')
  @ApiOperation({ summary: 'The expressions the job works on (once its analysis step is done)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [ExpressionView] })
  @ApiErrors(400, 404, [409, 'The analysis has not finished yet'])
  getVideoExpressions(@Param('id', IdParam()) id: string): Promise<unknown[]> {
    return this.videos.expressions(id);
  }

  @Post('videos/:id/render')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Render a job that waits for review, with the reviewed expressions',
    description:
      'For a job created with `review: true`, once its status is REVIEW: the lessons are cut of exactly these expressions (each from the analysis, in this order), with the definitions and translations given. Once only.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: VideoJobView, description: 'Rendering; the status goes on from the analysis' })
  @ApiErrors(400, 404, 415, [409, 'The job is not waiting for review (rendered already, cancelled, finished, or created without review)'])
  renderVideo(@Param('id', IdParam()) id: string, @Body() dto: RenderVideoDto): Promise<StatusRecord> {
    return this.videos.render(id, dto);
  }

  @Get('videos/:id/source')
  @ApiOperation({
    summary: 'The uploaded episode of a job waiting for review',
    description: 'While the job is in REVIEW, so that the reviewer can play the seconds around each expression. Supports HTTP Range requests.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Range', required: false, description: 'bytes=start-end: a part of the file (206)' })
  @ApiResponse({ status: 200, description: 'The whole file', content: { 'video/mp4': BINARY } })
  @ApiResponse({ status: 206, description: 'The part of the file the Range asked for', content: { 'video/mp4': BINARY } })
  @ApiErrors(400, 404, [409, 'The job is not waiting for review'], 410, 416)
  async getVideoSource(@Param('id', IdParam()) id: string, @Res() res: Response): Promise<void> {
    const { root, file } = await this.videos.source(id);
    await sendFileWithRange(res, root, file, () => new GoneException(`the source of video job ${id} is gone`));
  }

  @Get('videos/:id/source/link')
  @ApiOperation({
    summary: 'A link to the upload of a job waiting for review, for a <video> element',
    description: `The source's URL with a token that opens it without the API key for MEDIA_LINK_TTL_SECONDS (a media element cannot send one).`,
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MediaLinkView })
  @ApiErrors(400, 404, [409, 'The job is not waiting for review'], 410)
  async linkVideoSource(@Param('id', IdParam()) id: string, @PresentedKey() key?: string): Promise<MediaLink> {
    await this.videos.source(id);
    return this.links.sign(`/api/v1/videos/${id}/source`, key);
  }

  @Get('videos/:id/files')
  @ApiOperation({
    summary: 'The files a finished job made: path (for GET /files/{path}), kind, size, duration',
    description: 'Each with `url`: a link that opens it without the API key until `expiresAt`, for <video> and <img> elements and downloads.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [OutputFileView] })
  @ApiErrors(400, 404, [409, 'The job is not SUCCESS'], 410)
  async listVideoFiles(@Param('id', IdParam()) id: string, @PresentedKey() key?: string) {
    const files = await this.videos.files(id);
    return files.map((f) => ({ ...f, ...this.links.sign(`/api/v1/files/${f.path.split('/').map(encodeURIComponent).join('/')}`, key) }));
  }

  @Get('videos/:id/events')
  @ApiOperation({ summary: 'Live status of a video job (Server-Sent Events)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEventStream('the video job')
  @ApiErrors(400, 404)
  async streamVideoEvents(@Param('id', IdParam()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.videos.get(id); // 404 before the stream starts
    const heartbeatMs = this.config.env.SSE_HEARTBEAT_MS;
    streamStatus(req, res, this.status.follow(id, { afterVersion: lastEventId(req), checkEveryMs: heartbeatMs }), heartbeatMs);
  }

  @Delete('videos/:id')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Cancel a video job',
    description: 'Kills its ffmpeg processes and removes its temp files; with ?purge=true its outputs too (also for a finished job).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: VideoJobView })
  @ApiErrors(400, [403, 'purge=true needs an admin key (ADMIN_API_KEYS)'], 404, [409, 'Already final and no purge asked'])
  cancelVideo(@Param('id', IdParam()) id: string, @Query() query: CancelVideoQuery, @Caller() caller: CallerRole | null): Promise<StatusRecord> {
    if (query.purge) assertAdmin(caller);
    return this.videos.cancel(id, query.purge);
  }

  @Post('slides')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Render educational slides alone', description: 'A job of its own; its result lists the PNG files.' })
  @ApiAcceptedResponse({ type: SlidesJobView, description: 'Queued' })
  @ApiErrors(400, 415)
  createSlides(@Body() dto: CreateSlidesDto, @RequestId() requestId?: string): Promise<StatusRecord> {
    return this.videos.createSlides(dto, requestId);
  }

  @Get('slides/:id')
  @ApiOperation({ summary: 'A slides job and, once SUCCESS, its files' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SlidesJobView })
  @ApiErrors(400, 404)
  getSlides(@Param('id', IdParam()) id: string): Promise<StatusRecord> {
    return this.videos.get(id, 'slides');
  }
}
