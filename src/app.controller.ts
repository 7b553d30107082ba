import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

export class ServiceIndexView {
  @ApiProperty({ example: 'langflix-backend' }) name: string;
  @ApiProperty({ example: 'Finds the expressions worth learning in English subtitles and cuts learning videos' }) description: string;
  @ApiProperty({ example: '/docs', description: 'Swagger UI' }) docs: string;
  @ApiProperty({ example: '/docs-json', description: 'The OpenAPI document' }) openapi: string;
  @ApiProperty({ example: '/api/v1', description: 'Where the API starts' }) api: string;
  @ApiProperty({ example: '/health' }) health: string;
  @ApiProperty({ example: '/studio', description: 'The studio page: upload an episode, review its expressions, watch the lessons' }) studio: string;
}

/** `GET /`: where to go from here, instead of Express's "Cannot GET /". A browser goes on to the studio page. */
@ApiTags('service')
@Controller()
export class AppController {
  @Get()
  @ApiOperation({ summary: 'What this service is and where its docs are', description: 'A browser (Accept: text/html) is redirected to /studio.' })
  @ApiOkResponse({ type: ServiceIndexView })
  getServiceIndex(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): ServiceIndexView | void {
    if (accept?.includes('text/html')) return res.redirect(302, '/studio');
    return {
      name: 'langflix-backend',
      description: 'Finds the expressions worth learning in English subtitles and cuts learning videos',
      docs: '/docs',
      openapi: '/docs-json',
      api: '/api/v1',
      health: '/health',
      studio: '/studio',
    };
  }
}
