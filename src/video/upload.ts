import { ArgumentsHost, Catch, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { MulterModuleOptions } from '@nestjs/platform-express';
import type { StorageEngine } from 'multer';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpErrorFilter } from '../common/http/http-error.filter';
import { AppConfig } from '../config/app-config';
import { InflightUploads, jobTempDir } from '../storage/storage';

/** The request of an upload carries the id of its job: its files land in that job's own temp folder. */
export interface UploadRequest {
  videoJobId?: string;
  res?: { once(event: 'close', listener: () => void): unknown };
}

export const UPLOAD_FIELDS = [
  { name: 'video', maxCount: 1 },
  { name: 'subtitles', maxCount: 1 },
];

export const uploadDir = (config: AppConfig, id: string) => join(jobTempDir(config.env.TEMP_ROOT, id), 'upload');

/**
 * Streams each upload to disk (never held in memory) under a fixed safe name in the job's folder, counting
 * its bytes as they come: each file is held to its own limit (the subtitles to MAX_SUBTITLE_BYTES, the video
 * to MAX_VIDEO_BYTES) while it streams, not after it was written.
 */
export class UploadStorage implements StorageEngine {
  constructor(
    private readonly config: AppConfig,
    private readonly inflight: InflightUploads,
  ) {}

  _handleFile(req: unknown, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    const r = req as UploadRequest;
    if (!r.videoJobId) {
      r.videoJobId = randomUUID();
      this.inflight.begin(r.videoJobId, r.res);
    }
    const dir = uploadDir(this.config, r.videoJobId);
    const name = file.fieldname === 'video' ? 'video' : 'subtitles';
    const path = join(dir, name);
    const [limit, setting] =
      name === 'subtitles' ? [this.config.env.MAX_SUBTITLE_BYTES, 'MAX_SUBTITLE_BYTES'] : [this.config.env.MAX_VIDEO_BYTES, 'MAX_VIDEO_BYTES'];
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) return done(new PayloadTooLargeException(`${name}: the file is larger than the limit of ${limit} bytes (${setting})`));
        done(null, chunk);
      },
    });
    mkdirSync(dir, { recursive: true });
    pipeline(file.stream, counter, createWriteStream(path)).then(
      () => cb(null, { destination: dir, filename: name, path, size }),
      async (err: unknown) => {
        // The rest of the part is drained so that the request can end with the error.
        file.stream.resume();
        await rm(path, { force: true });
        cb(err);
      },
    );
  }

  _removeFile(_req: unknown, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(() => cb(null), cb);
  }
}

export function multerOptions(storage: UploadStorage): MulterModuleOptions {
  return { storage, limits: { files: 2, fields: 20, fieldSize: 64 * 1024 } };
}

/** Whatever goes wrong with an upload request, its files do not stay behind. */
@Catch()
@Injectable()
export class UploadCleanupFilter extends HttpErrorFilter {
  constructor(private readonly config: AppConfig) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const id = host.switchToHttp().getRequest<UploadRequest>().videoJobId;
    if (id) rmSync(jobTempDir(this.config.env.TEMP_ROOT, id), { recursive: true, force: true });
    super.catch(exception, host);
  }
}
