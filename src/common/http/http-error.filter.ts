import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { isRedisUnavailable } from '../../redis/redis-errors';
import { ErrorResponse } from './error-response';

interface HttpResponse {
  headersSent: boolean;
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  end(): void;
}

/**
 * Every error of the HTTP API in one shape ({ statusCode, error, message }, message one string): Nest's own
 * exceptions, validation errors (several messages joined), errors of Express middleware that carry a status
 * (body parsing, uploads), and Redis being away (503). Anything else is a 500 that says nothing of the server.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<HttpResponse>();
    if (res.headersSent) return void res.end();
    if (isHealthReport(exception)) return void res.status(exception.getStatus()).json(exception.getResponse());
    const body = this.toBody(exception);
    if (body.statusCode === 503) res.setHeader('Retry-After', '5');
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorResponse {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      return errorBody(status, messageOf(raw) ?? exception.message);
    }
    const err = exception as { status?: number; statusCode?: number; expose?: boolean; message?: string; name?: string };
    const status = err?.status ?? err?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Express middleware errors (body-parser, multer): their message is meant for the client when `expose`.
      return errorBody(status, err.expose !== false && err.message ? err.message : (STATUS_CODES[status] ?? 'bad request'));
    }
    if (isRedisUnavailable(err)) {
      this.logger.warn(`request failed, Redis unavailable: ${String(err.message)}`);
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the status store (Redis) is unavailable; try again shortly');
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error; the server logged it');
  }
}

/** A failed health check (terminus): its report is the answer, documented as such on /health. */
function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException)) return false;
  const response = exception.getResponse();
  return typeof response === 'object' && response !== null && 'details' in response && 'status' in response;
}

export function errorBody(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function messageOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) return [...new Set(raw.map(String))].join('; ');
  return undefined;
}
