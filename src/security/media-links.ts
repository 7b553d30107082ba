import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** The query parameter that carries a link's token. */
export const LINK_PARAM = 'access';

/** A URL that opens one file without an API key until it expires. */
export interface MediaLink {
  url: string;
  expiresAt: string;
}

/** The only routes a link may open: output files, and the upload of a job in review. */
const LINKABLE = /^\/api\/v1\/(?:files\/[^?#]+|videos\/[0-9a-fA-F-]{36}\/source)$/;

const signature = (key: string, path: string, expires: number): Buffer => createHmac('sha256', key).update(`${expires}\n${path}`).digest();

/**
 * Links to one file (an output, or the upload of a job in review) that a `<video>` or `<img>` element may follow:
 * those cannot send an Authorization header. A link is the path with a token: its expiry and an HMAC of the path
 * keyed with the caller's API key. Nothing is stored, any API process checks it, and removing the key from
 * API_KEYS revokes its links. Where no keys are checked the path alone opens the file, so the link is the path.
 */
export class MediaLinks {
  private readonly keys: string[];

  constructor(private readonly config: AppConfig) {
    this.keys = [...config.apiKeys, ...config.adminKeys];
  }

  /** `path` (URL-encoded, with the /api/v1 prefix: a file route) signed with `key`, open for MEDIA_LINK_TTL_SECONDS. */
  sign(path: string, key: string | undefined, now = Date.now()): MediaLink {
    if (!LINKABLE.test(path)) throw new Error(`no media link opens ${path}: only output files and a review's source`);
    const expires = Math.floor(now / 1000) + this.config.env.MEDIA_LINK_TTL_SECONDS;
    const expiresAt = new Date(expires * 1000).toISOString();
    if (!this.config.keysRequired || !key) return { url: path, expiresAt };
    const token = `${expires}.${signature(key, path, expires).toString('base64url')}`;
    return { url: `${path}?${LINK_PARAM}=${token}`, expiresAt };
  }

  /**
   * Whether `token` opens `path` now: a file route, signed for exactly this path with one of the configured
   * keys, not expired, and not expiring later than a link made now would (no key holder mints a lasting one).
   */
  opens(path: string, token: unknown, now = Date.now()): boolean {
    if (typeof token !== 'string' || !LINKABLE.test(path)) return false;
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return false;
    const expires = Number(m[1]);
    if (expires * 1000 <= now || expires > Math.floor(now / 1000) + this.config.env.MEDIA_LINK_TTL_SECONDS) return false;
    const given = Buffer.from(m[2], 'base64url');
    let match = false;
    for (const key of this.keys) match = timingSafeEqual(signature(key, path, expires), given) || match;
    return match;
  }
}
