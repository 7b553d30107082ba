import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { StatusService } from '../status/status.service';

const REDIS_TIMEOUT_MS = 1000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: 200 when Redis answers within a second, 503 otherwise' })
  @ApiOkResponse({ schema: { example: { status: 'ok', redis: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'error', redis: 'down', message: 'redis did not answer within 1000 ms' } } })
  async check(): Promise<{ status: string; redis: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.status.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`redis did not answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS))),
      ]);
      return { status: 'ok', redis: 'up' };
    } catch (err) {
      throw new ServiceUnavailableException({ status: 'error', redis: 'down', message: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
