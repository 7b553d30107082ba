import { HttpStatus, ParseUUIDPipe } from '@nestjs/common';

/** Record ids are UUID v4; anything else is a 400, before any lookup. */
export const IdParam = () => new ParseUUIDPipe({ version: '4', errorHttpStatusCode: HttpStatus.BAD_REQUEST });
