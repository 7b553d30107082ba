import { BadRequestException, HttpStatus, ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';

/** Record ids are UUID v4; anything else is a 400, before any lookup. */
export const IdParam = () =>
  new ParseUUIDPipe({
    version: '4',
    errorHttpStatusCode: HttpStatus.BAD_REQUEST,
    exceptionFactory: () =>
      new BadRequestException('id must be a UUID, as returned when the job was created (for example 0b8f6d2e-3c1a-4f57-9a41-2f0d1f9b8c11)'),
  });

/** A whole number path parameter from 1 to `max`. */
export const PositionParam = (name: string, max: number) =>
  new ParseIntPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a whole number from 1 to ${max}`) });
