import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MediaRepository } from './media.repository';

/** On shutdown no ffmpeg outlives the app. */
@Injectable()
class MediaShutdown implements OnApplicationShutdown {
  constructor(private readonly media: MediaRepository) {}

  onApplicationShutdown(): void {
    this.media.killAll();
  }
}

/** ffprobe and ffmpeg runs behind the project's own types. */
@Module({ providers: [MediaRepository, MediaShutdown], exports: [MediaRepository] })
export class MediaModule {}
