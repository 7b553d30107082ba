import { Controller, Get, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where `npm run build` puts the studio page (Vite, from studio/): dist/studio-ui, found from this file both
 * when it runs compiled (dist/studio) and from the sources (src/studio, in the tests).
 */
export const STUDIO_DIR = join(__dirname, '../../dist/studio-ui');

/** Hashed names (assets/index-3f2a….js) never change content: browsers may keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The studio: a page for the people who make the lessons (upload, live progress, review, results). Its files
 * hold no data and are served without a key; the page asks for the API key and sends it with every call.
 */
@ApiExcludeController()
@Controller('studio')
export class StudioController {
  @Get()
  page(@Res() res: Response): void {
    this.sendIndex(res);
  }

  @Get('assets/*path')
  asset(@Param('path') path: string[] | string, @Res() res: Response): void {
    const rel = (Array.isArray(path) ? path : [path]).join('/');
    res.sendFile(rel, { root: join(STUDIO_DIR, 'assets'), dotfiles: 'deny', headers: { 'Cache-Control': IMMUTABLE } }, (err?: Error) => {
      if (err && !res.headersSent) res.status(404).json({ statusCode: 404, error: 'Not Found', message: `no studio asset ${rel}` });
    });
  }

  /** The page's own routes (#/jobs/…) are in the fragment; any other path under /studio is the page too. */
  @Get('*path')
  route(@Res() res: Response): void {
    this.sendIndex(res);
  }

  private sendIndex(res: Response): void {
    if (!existsSync(join(STUDIO_DIR, 'index.html'))) {
      throw new ServiceUnavailableException('the studio page is not built: run npm run build (it compiles studio/ into dist/studio-ui)');
    }
    res.sendFile('index.html', { root: STUDIO_DIR, headers: { 'Cache-Control': 'no-cache' } });
  }
}
