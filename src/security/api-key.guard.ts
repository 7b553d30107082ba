import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** The key a request carries: Bearer token, X-API-Key, or (for browsers, on the dashboard) a Basic password. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = String(headers.authorization ?? '');
  const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+(.+)$/i.exec(auth)?.[1];
  if (basic) return Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') || undefined;
  const header = headers['x-api-key'];
  return Array.isArray(header) ? header[0] : header;
}

/** Constant-time check of a presented key against every configured key digest. */
export function keyMatches(keys: Buffer[], given: string): boolean {
  const candidate = digest(given);
  let match = false;
  for (const key of keys) match = timingSafeEqual(key, candidate) || match;
  return match;
}

export const keyDigests = (keys: string[]) => keys.map(digest);

/** Whether `path` answers without a key even when API_KEYS is set (health and metrics, as configured). */
export function isPublicPath(path: string, config: AppConfig): boolean {
  return (path.startsWith('/health') && config.env.AUTH_PUBLIC_HEALTH === 'true') || (path.startsWith('/metrics') && config.env.AUTH_PUBLIC_METRICS === 'true');
}

/**
 * When API_KEYS is set, every request needs one of them, as `Authorization: Bearer <key>` or `X-API-Key`.
 * Keys are compared as SHA-256 digests with timingSafeEqual, against every configured key, so the time
 * taken says nothing about how close a guess was.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(private readonly config: AppConfig) {
    this.keys = keyDigests(config.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.length || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<{ path: string; headers: Record<string, string | undefined> }>();
    if (isPublicPath(req.path, this.config)) return true;
    const given = presentedKey(req.headers);
    if (!given) throw new UnauthorizedException('an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    if (!keyMatches(this.keys, given)) throw new UnauthorizedException('the API key is not valid');
    return true;
  }
}
