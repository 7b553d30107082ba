import { ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import { HttpErrorFilter } from '../common/http/http-error.filter';
import { MulterModuleOptions } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { diskStorage } from 'multer';
import { AppConfig } from '../config/app-config';
import { jobTempDir } from './video.constants';

/** The request of an upload carries the id of its job: its files land in that job's own temp folder. */
export interface UploadRequest {
  videoJobId?: string;
}

export const UPLOAD_FIELDS = [
  { name: 'video', maxCount: 1 },
  { name: 'subtitles', maxCount: 1 },
];

export const uploadDir = (config: AppConfig, id: string) => join(jobTempDir(config.env.TEMP_ROOT, id), 'upload');

/** Streams each upload to disk (never held in memory), under fixed safe names, within the size limits. */
export function multerOptions(config: AppConfig): MulterModuleOptions {
  return {
    storage: diskStorage({
      destination: (req, _file, cb) => {
        const r = req as unknown as UploadRequest;
        r.videoJobId ??= randomUUID();
        const dir = uploadDir(config, r.videoJobId);
        mkdirSync(dir, { recursive: true });
        cb(null, dir);
      },
      filename: (_req, file, cb) => cb(null, file.fieldname === 'video' ? 'video' : 'subtitles'),
    }),
    limits: { fileSize: config.env.MAX_VIDEO_BYTES, files: 2, fields: 20, fieldSize: 64 * 1024 },
  };
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
