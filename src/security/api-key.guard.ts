import { CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { LINK_PARAM, MediaLinks } from './media-links';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** Who is calling: with an admin key, with an API key, or anyone (the service checks no keys). */
export type CallerRole = 'admin' | 'user' | 'open';

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

/**
 * Knows the configured keys and tells who a request is. Keys are compared as SHA-256 digests with
 * timingSafeEqual, against every configured key, so the time taken says nothing about how close a guess was.
 */
export class KeyRing {
  private readonly users: Buffer[];
  private readonly admins: Buffer[];

  constructor(private readonly config: AppConfig) {
    this.users = keyDigests(config.apiKeys);
    this.admins = keyDigests(config.adminKeys);
  }

  /** The caller's role, or null when keys are checked and the request has none that is valid. */
  roleOf(headers: Record<string, string | string[] | undefined>): CallerRole | null {
    if (!this.config.keysRequired) return 'open';
    const given = presentedKey(headers);
    if (!given) return null;
    if (keyMatches(this.admins, given)) return 'admin';
    return keyMatches(this.users, given) ? 'user' : null;
  }

  /** Whether the role may do what only admins may: admins, and anyone where no keys are checked. */
  static mayAdminister(role: CallerRole | null): boolean {
    return role === 'admin' || role === 'open';
  }
}

/**
 * Who a request counts against: its API key when that is one of the configured keys (hashed: keys never reach
 * Redis), else its IP. A key nobody configured is not an identity: sending a new random key with each request
 * must not give each one a fresh allowance.
 */
export function clientOf(req: { ip?: string; headers: Record<string, string | string[] | undefined> }, keys: KeyRing): string {
  const role = keys.roleOf(req.headers);
  const key = role === 'admin' || role === 'user' ? presentedKey(req.headers) : undefined;
  return key ? `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `ip:${req.ip ?? 'unknown'}`;
}

/**
 * Whether `path` answers without a key even when API_KEYS is set: health, metrics and docs as configured, and
 * the service index and the studio page's files (which hold no data: the page asks for a key for every call).
 */
export function isPublicPath(path: string, config: AppConfig): boolean {
  return (
    path === '/' ||
    /^\/studio(?:\/|$)/.test(path) ||
    (path.startsWith('/health') && config.env.AUTH_PUBLIC_HEALTH === 'true') ||
    (path.startsWith('/metrics') && config.env.AUTH_PUBLIC_METRICS === 'true') ||
    (/^\/docs(?:-json)?(?:\/|$)/.test(path) && config.docsPublic)
  );
}

const ADMIN_ONLY = 'langflix:admin-only';

/** Marks a route (or a controller) that only an admin key may call (ADMIN_API_KEYS). */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export const ADMIN_REQUIRED_MESSAGE =
  'this needs an admin key (one of ADMIN_API_KEYS): queue control, the dashboard, manual cleanup and purging are for operators';

/** Refuses a caller who is not an admin, with the message that says what is needed. */
export function assertAdmin(role: CallerRole | null | undefined): void {
  if (!KeyRing.mayAdminister(role ?? null)) throw new ForbiddenException(ADMIN_REQUIRED_MESSAGE);
}

/** Who the request counts against (its valid key, else its IP): rate limits and quotas. */
export const ClientId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<KeyedRequest>().clientId,
);

/** The API key the request carries (to sign media links with), if any. */
export const PresentedKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined =>
  presentedKey(ctx.switchToHttp().getRequest<KeyedRequest>().headers),
);

/** The role ApiKeyGuard found for the request. */
export const Caller = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): CallerRole | null => ctx.switchToHttp().getRequest<KeyedRequest>().callerRole ?? null,
);

interface KeyedRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  callerRole?: CallerRole | null;
  clientId?: string;
  ip?: string;
}

/**
 * When API_KEYS is set, every request needs one of them (or an admin key), as `Authorization: Bearer <key>` or
 * `X-API-Key`, or, to read one file, a media link's token (MediaLinks); routes marked @AdminOnly need an admin
 * key. The caller's role is left on the request.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: KeyRing;
  private readonly links: MediaLinks;

  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = new KeyRing(config);
    this.links = new MediaLinks(config);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    let role = this.keys.roleOf(req.headers);
    req.callerRole = role;
    req.clientId = clientOf(req, this.keys);
    if (isPublicPath(req.path, this.config)) return true;
    if (!role && (req.method === 'GET' || req.method === 'HEAD') && this.links.opens(req.path, req.query?.[LINK_PARAM])) {
      req.callerRole = role = 'user';
    }
    if (!role) {
      const given = presentedKey(req.headers);
      throw new UnauthorizedException(given ? 'the API key is not valid' : 'an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()])) assertAdmin(role);
    return true;
  }
}
