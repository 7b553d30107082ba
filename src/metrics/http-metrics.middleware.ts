import { Injectable, NestMiddleware } from '@nestjs/common';
import { MetricsService } from './metrics.service';

interface Req {
  method: string;
  baseUrl?: string;
  route?: { path?: string };
}
interface Res {
  statusCode: number;
  on(event: 'finish', listener: () => void): void;
}

/** Counts and times every HTTP request by its route pattern (never the raw path: ids would explode the labels). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Req, res: Res, next: () => void): void {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      this.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.httpSeconds.observe({ method: req.method, route }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  }
}
