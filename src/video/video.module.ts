import { MediaLinks } from '../security/media-links';
import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/app-config';
import { MediaModule } from '../media/media.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { StatusModule } from '../status/status.module';
import { InflightUploads, StorageModule } from '../storage/storage';
import { FilesController } from './files.controller';
import { multerOptions, UploadCleanupFilter, UploadStorage } from './upload';
import { VideoController } from './video.controller';
import { VideoService } from './video.service';
import { VideoJobFiles, VideoSteps } from './video.steps';

/** Episodes in, learning videos, slides and shorts out. The API role gets the controllers, workers the steps. */
@Module({})
export class VideoModule {
  static register(config: AppConfig): DynamicModule {
    const pipeline = PipelineModule.register(config);
    return {
      module: VideoModule,
      imports: [
        pipeline,
        StatusModule,
        MediaModule,
        StorageModule,
        MulterModule.registerAsync({
          imports: [StorageModule],
          inject: [AppConfig, InflightUploads],
          useFactory: (config: AppConfig, inflight: InflightUploads) => multerOptions(new UploadStorage(config, inflight)),
        }),
      ],
      controllers: config.runsApi ? [VideoController, FilesController] : [],
      providers: [
        VideoService,
        VideoJobFiles,
        UploadCleanupFilter,
        { provide: MediaLinks, useFactory: (c: AppConfig) => new MediaLinks(c), inject: [AppConfig] },
        ...(config.runsWorkers ? [VideoSteps] : []),
      ],
    };
  }
}
