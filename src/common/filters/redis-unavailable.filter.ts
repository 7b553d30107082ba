import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

const REDIS_DOWN = /MaxRetriesPerRequest|ECONNREFUSED|ETIMEDOUT|Connection is closed|Stream isn't writeable/;

/** While Redis is away, requests get a 503 that says so instead of a 500 with a stack trace in the log. */
@Catch()
export class RedisUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Redis');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const err = exception as Error;
    if (!(err instanceof Error) || !REDIS_DOWN.test(`${err.name} ${err.message}`) || host.getType() !== 'http') {
      return super.catch(exception, host);
    }
    this.logger.warn(`request failed, Redis unavailable: ${err.message}`);
    const body = {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: 'the status store (Redis) is unavailable; try again shortly',
    };
    this.applicationRef!.reply(host.switchToHttp().getResponse(), body, HttpStatus.SERVICE_UNAVAILABLE);
  }
}
