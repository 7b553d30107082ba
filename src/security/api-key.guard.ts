import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * When API_KEYS is set, every request needs one of them, as `Authorization: Bearer <key>` or `X-API-Key`.
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every configured key, so the time
 * taken says nothing about how close a guess was.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(private readonly config: AppConfig) {
    this.keys = config.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.length || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<{ path: string; headers: Record<string, string | undefined> }>();
    if (req.path.startsWith('/health') && this.config.env.AUTH_PUBLIC_HEALTH === 'true') return true;
    if (req.path.startsWith('/metrics') && this.config.env.AUTH_PUBLIC_METRICS === 'true') return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const given = bearer ?? req.headers['x-api-key'];
    if (!given) throw new UnauthorizedException('an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    const candidate = digest(given);
    let match = false;
    for (const key of this.keys) match = timingSafeEqual(key, candidate) || match;
    if (!match) throw new UnauthorizedException('the API key is not valid');
    return true;
  }
}
