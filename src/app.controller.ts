import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

export class ServiceIndexView {
  @ApiProperty({ example: 'langflix-backend' }) name: string;
  @ApiProperty({ example: 'Finds the expressions worth learning in English subtitles and cuts learning videos' }) description: string;
  @ApiProperty({ example: '/docs', description: 'Swagger UI' }) docs: string;
  @ApiProperty({ example: '/docs-json', description: 'The OpenAPI document' }) openapi: string;
  @ApiProperty({ example: '/api/v1', description: 'Where the API starts' }) api: string;
  @ApiProperty({ example: '/health' }) health: string;
}

/** `GET /`: where to go from here, instead of Express's "Cannot GET /". */
@ApiTags('service')
@Controller()
export class AppController {
  @Get()
  @ApiOperation({ summary: 'What this service is and where its docs are' })
  @ApiOkResponse({ type: ServiceIndexView })
  getServiceIndex(): ServiceIndexView {
    return {
      name: 'langflix-backend',
      description: 'Finds the expressions worth learning in English subtitles and cuts learning videos',
      docs: '/docs',
      openapi: '/docs-json',
      api: '/api/v1',
      health: '/health',
    };
  }
}
