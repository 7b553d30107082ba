import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { Queue } from 'bull';
import { QueueName } from '../common/enums';
import { QueueWorkers } from '../common/queue-workers';
import { AppConfig } from '../config/app-config';
import { JobLogContext } from '../logging/job-log-context';
import { MediaRepository } from '../media/media.repository';
import { PipelineControl } from '../pipeline/pipeline-control';
import { PipelineService } from '../pipeline/pipeline.service';
import { StatusService } from '../status/status.service';
import { FilesController } from './files.controller';
import { SlidesJobData, SlidesProcessor } from './slides.processor';
import { InflightUploads, multerOptions, UploadCleanupFilter, UploadStorage } from './upload';
import { REDIS_CLIENT } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import Redis from 'ioredis';
import { VideoController } from './video.controller';
import { VideoProcessor } from './video.processor';
import { VideoService } from './video.service';
import { VideoJobData } from './video.types';
import { WorkerRegistry } from '../workers/worker-registry';

const VIDEO_WORKERS = Symbol('VIDEO_WORKERS');

const workersProvider: Provider = {
  provide: VIDEO_WORKERS,
  inject: [
    getQueueToken(QueueName.VideoRender),
    getQueueToken(QueueName.SlidesRender),
    MediaRepository,
    PipelineService,
    StatusService,
    PipelineControl,
    AppConfig,
    JobLogContext,
    WorkerRegistry,
  ],
  useFactory: (
    videos: Queue<VideoJobData>,
    slides: Queue<SlidesJobData>,
    media: MediaRepository,
    pipelines: PipelineService,
    status: StatusService,
    control: PipelineControl,
    config: AppConfig,
    logs: JobLogContext,
    registry: WorkerRegistry,
  ) =>
    new QueueWorkers(
      [new VideoProcessor(videos, media, pipelines, status, control, config, logs), new SlidesProcessor(slides, media, status, config, logs)],
      control,
      config,
      registry,
      () => media.killAll(),
    ),
};

/** Episodes in, learning videos, slides and shorts out. The API role gets the controllers, workers the processors. */
@Module({})
export class VideoModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: VideoModule,
      imports: [
        BullModule.registerQueue({ name: QueueName.VideoRender }, { name: QueueName.SlidesRender }),
        MulterModule.registerAsync({
          inject: [AppConfig, REDIS_CLIENT, RedisKeys],
          useFactory: (config: AppConfig, redis: Redis, keys: RedisKeys) => multerOptions(new UploadStorage(config, new InflightUploads(redis, keys))),
        }),
      ],
      controllers: config.runsApi ? [VideoController, FilesController] : [],
      providers: [VideoService, UploadCleanupFilter, ...(config.runsWorkers ? [workersProvider] : [])],
    };
  }
}
