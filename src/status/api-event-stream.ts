import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiProduces, getSchemaPath } from '@nestjs/swagger';
import { StatusEventView } from './dto/record-view.dto';

/** Documents a live status stream: `200 text/event-stream` whose events carry a StatusEventView. */
export const ApiEventStream = (what: string) =>
  applyDecorators(
    ApiExtraModels(StatusEventView),
    ApiProduces('text/event-stream'),
    ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id (a record version): only newer events are sent' }),
    ApiOkResponse({
      description:
        `Server-Sent Events of ${what}: the current state first, then one \`event: status\` per change (\`id:\` the record's version, ` +
        '`data:` a StatusEvent as JSON), a `: heartbeat` comment every SSE_HEARTBEAT_MS; the stream ends after a final status, or when the record expires.',
      content: { 'text/event-stream': { schema: { $ref: getSchemaPath(StatusEventView) } } },
    }),
  );
