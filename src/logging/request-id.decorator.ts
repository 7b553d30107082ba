import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The id pino-http gave the current request (the caller's X-Request-Id, or a new UUID). */
export const RequestId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<{ id?: string }>().id,
);
