import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from './error-response';

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: the message names the field and what to change',
  404: 'Unknown, or expired, id',
  409: 'Not possible in its current state: the message says why',
  410: 'Removed (by the cleanup, or purged on request)',
  413: 'Too large: the message gives the limit',
  415: 'Wrong content type: the message says which to send',
  416: 'The Range asked for is outside the file; Content-Range gives its size',
  503: 'Redis (the status store) is unavailable; retry after the Retry-After header',
};

/** Documents error responses of an operation, all with the one error shape (ErrorResponse). */
export function ApiErrors(...errors: (number | [number, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ...errors.map((e) => {
      const [status, description] = Array.isArray(e) ? e : [e, DEFAULT_DESCRIPTIONS[e] ?? 'Error'];
      // Always JSON, also on operations that produce something else when they succeed (an event stream, a file).
      return ApiResponse({ status, description, content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } } });
    }),
  );
}
