import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Caller, CallerRole } from './api-key.guard';

export class CallerView {
  @ApiProperty({
    enum: ['admin', 'user', 'open'],
    example: 'user',
    description: 'admin: an ADMIN_API_KEYS key; user: an API_KEYS key; open: the service checks no keys (anyone may do anything)',
  })
  role: CallerRole;
}

/** `GET /api/v1/me`: what the key sent may do, so that a client (the studio) shows only what it can use. */
@ApiTags('service')
@Controller('me')
export class CallerController {
  @Get()
  @ApiOperation({ summary: 'What the API key sent may do' })
  @ApiOkResponse({ type: CallerView })
  whoAmI(@Caller() role: CallerRole | null): CallerView {
    return { role: role ?? 'open' };
  }
}
