import { BadRequestException, Controller, GoneException, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { relative } from 'node:path';
import { AppConfig } from '../config/app-config';
import { CleanupService } from '../cleanup/cleanup.service';
import { resolveInside } from './safe-path';

@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(
    private readonly config: AppConfig,
    private readonly cleanup: CleanupService,
  ) {}

  @Get('*path')
  @ApiOperation({
    summary: 'Download an output file',
    description: 'Paths as listed by GET /videos/{id}/files. Supports HTTP Range requests, so a browser can seek in a video.',
  })
  @ApiParam({ name: 'path', type: String, example: 'the-bakery/s01e01/en/long/the-bakery_s01e01.mp4' })
  async download(@Param('path') path: string[] | string, @Res() res: Response): Promise<void> {
    const segments = Array.isArray(path) ? path : String(path).split('/');
    if (!segments.length || segments.some((s) => !s || s.startsWith('.') || s.includes('/') || s.includes('\\'))) {
      throw new BadRequestException('path: use a path from GET /api/v1/videos/{id}/files (no "..", no hidden names)');
    }
    const root = this.config.env.OUTPUT_ROOT;
    const file = await resolveInside(root, segments.join('/'));
    if (!file) {
      if (await this.cleanup.wasSwept(segments.join('/'))) throw new GoneException(`${segments.join('/')} was removed by the cleanup (CLEANUP_*_MAX_AGE)`);
      throw new NotFoundException(`no such file: ${segments.join('/')}`);
    }
    const realRoot = await import('node:fs/promises').then((fs) => fs.realpath(root));
    await new Promise<void>((resolve, reject) =>
      res.sendFile(relative(realRoot, file), { root: realRoot, dotfiles: 'deny', acceptRanges: true, maxAge: 0 }, (err) =>
        err && !res.headersSent ? reject(new NotFoundException(`no such file: ${segments.join('/')}`)) : resolve(),
      ),
    );
  }
}
