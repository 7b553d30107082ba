import { BadRequestException, Controller, Get, GoneException, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { realpath, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { ApiErrors } from '../common/http/api-errors';
import { errorBody } from '../common/http/http-error.filter';
import { AppConfig } from '../config/app-config';
import { SweptFiles } from '../storage/storage';
import { resolveInside } from './safe-path';

const BINARY = { schema: { type: 'string', format: 'binary' } };

/**
 * The path of a file under the output root, however the client sent it: as path segments, or as one
 * segment with its slashes encoded (%2F, what generated clients do with a path parameter).
 */
export function outputPathSegments(path: string[] | string): string[] {
  const segments = (Array.isArray(path) ? path : [path]).join('/').split('/');
  if (!segments.length || segments.some((s) => !s || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) {
    throw new BadRequestException('path: use a path from GET /api/v1/videos/{id}/files (no "..", no hidden names, no empty segments)');
  }
  return segments;
}

/**
 * Sends a file under `root` (resolved and checked by the caller) with HTTP Range support, so a browser can
 * seek; a Range outside the file is a 416 that says the file's size.
 */
export async function sendFileWithRange(res: Response, root: string, file: string, missing: () => Error): Promise<void> {
  const realRoot = await realpath(root);
  await new Promise<void>((resolve, reject) =>
    res.sendFile(relative(realRoot, file), { root: realRoot, dotfiles: 'deny', acceptRanges: true, maxAge: 0 }, (err?: Error & { status?: number }) => {
      if (!err || res.headersSent) return resolve();
      if (err.status !== 416) return reject(missing());
      // A Range outside the file: say how large it is, so the client can ask again.
      stat(file).then((s) => {
        res.status(416).setHeader('Content-Range', `bytes */${s.size}`);
        res.json(errorBody(416, `the Range "${String(res.req.headers.range)}" is outside the file (${s.size} bytes)`));
        resolve();
      }, reject);
    }),
  );
}

@ApiTags('files')
@ApiErrors(503)
@Controller('files')
export class FilesController {
  constructor(
    private readonly config: AppConfig,
    private readonly swept: SweptFiles,
  ) {}

  @Get('*path')
  @ApiOperation({
    summary: 'Download an output file',
    description:
      'Paths as listed by GET /videos/{id}/files; its slashes may be sent as they are or encoded (%2F). Supports HTTP Range requests, so a browser can seek in a video.',
  })
  @ApiParam({ name: 'path', type: String, example: 'the-bakery/s01e01/en/long/the-bakery_s01e01.mp4' })
  @ApiHeader({ name: 'Range', required: false, description: 'bytes=start-end: a part of the file (206)' })
  @ApiResponse({ status: 200, description: 'The whole file', content: { 'video/mp4': BINARY, 'image/png': BINARY, 'application/json': BINARY } })
  @ApiResponse({ status: 206, description: 'The part of the file the Range asked for', content: { 'video/mp4': BINARY, 'image/png': BINARY } })
  @ApiErrors(400, [404, 'No such file'], 410, 416)
  async downloadFile(@Param('path') path: string[] | string, @Res() res: Response): Promise<void> {
    const segments = outputPathSegments(path);
    const wanted = segments.join('/');
    const root = this.config.env.OUTPUT_ROOT;
    const file = await resolveInside(root, wanted);
    if (!file) {
      if (await this.swept.has(wanted)) throw new GoneException(`${wanted} was removed by the cleanup (CLEANUP_*_MAX_AGE)`);
      throw new NotFoundException(`no such file: ${wanted}`);
    }
    await sendFileWithRange(res, root, file, () => new NotFoundException(`no such file: ${wanted}`));
  }
}
