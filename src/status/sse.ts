import { Observable } from 'rxjs';
import { StatusEvent } from './status.types';

interface SseRequest {
  headers: Record<string, string | string[] | undefined>;
  on(event: 'close', listener: () => void): unknown;
}

interface SseResponse {
  writableEnded: boolean;
  status(code: number): SseResponse;
  setHeader(name: string, value: string): void;
  flushHeaders(): void;
  write(chunk: string): boolean;
  end(): void;
}

/** The event id a reconnecting client sends (EventSource does it by itself): the version it saw last. */
export function lastEventId(req: SseRequest): number {
  const raw = req.headers['last-event-id'];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Streams status events as Server-Sent Events: `id:` is the record's version (a client that reconnects with
 * Last-Event-ID gets only what is newer), `event: status`, `data:` the event as JSON. A comment line every
 * `heartbeatMs` keeps proxies and load balancers from closing a quiet stream. Ends with the source; stops
 * the source when the client goes.
 */
export function streamStatus(req: SseRequest, res: SseResponse, events: Observable<StatusEvent>, heartbeatMs: number): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // nginx and similar proxies buffer responses unless told not to.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  const end = () => {
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  };
  const subscription = events.subscribe({
    next: (e) => res.write(`id: ${e.version}\nevent: status\ndata: ${JSON.stringify(e)}\n\n`),
    error: (err: Error) => {
      res.write(`event: error\ndata: ${JSON.stringify({ message: `the status stream failed: ${err.message}` })}\n\n`);
      end();
    },
    complete: end,
  });
  req.on('close', () => {
    subscription.unsubscribe();
    end();
  });
}
