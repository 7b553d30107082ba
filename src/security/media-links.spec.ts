import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withoutToken } from '../logging/log-options';
import { AppConfig } from '../config/app-config';
import { validateEnv } from '../config/env.schema';
import { MediaLinks } from './media-links';

const links = (env: Record<string, string>) => new MediaLinks(new AppConfig(validateEnv({ MEDIA_LINK_TTL_SECONDS: '600', ...env })));
const path = '/api/v1/files/show/e01/en/long/show_e01.mp4';
const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const tokenOf = (url: string) => new URL(url, 'http://x').searchParams.get('access');

describe('MediaLinks', () => {
  const keyed = links({ API_KEYS: 'key-one-0123456789,key-two-0123456789', ADMIN_API_KEYS: 'admin-key-0123456789' });

  it('opens exactly the path it was signed for, with any configured key, until it expires', () => {
    const link = keyed.sign(path, 'key-two-0123456789', now);
    expect(link.url.startsWith(`${path}?access=`)).toBe(true);
    expect(link.expiresAt).toBe(new Date(now + 600_000).toISOString());
    const token = tokenOf(link.url);
    expect(keyed.opens(path, token, now + 599_000)).toBe(true);
    expect(keyed.opens(path, token, now + 600_000)).toBe(false);
    expect(keyed.opens(`${path}x`, token, now)).toBe(false);
    expect(keyed.opens('/api/v1/files/show/e01/en/long/other.mp4', token, now)).toBe(false);
    expect(keyed.opens(path, tokenOf(keyed.sign(path, 'admin-key-0123456789', now).url), now)).toBe(true);
  });

  it('refuses a token signed with a key that is not configured (removed, or made up), and anything malformed', () => {
    const stranger = links({ API_KEYS: 'someone-else-0123456789' }).sign(path, 'someone-else-0123456789', now);
    expect(keyed.opens(path, tokenOf(stranger.url), now)).toBe(false);
    const token = tokenOf(keyed.sign(path, 'key-one-0123456789', now).url)!;
    // A later expiry with the same signature: the expiry is signed too.
    expect(
      keyed.opens(
        path,
        token.replace(/^\d+/, (n) => String(Number(n) + 3600)),
        now,
      ),
    ).toBe(false);
    for (const bad of [undefined, '', 'x', ['a', 'b'], `${token}=`, token.slice(0, -1)]) expect(keyed.opens(path, bad, now)).toBe(false);
  });

  it('opens only files and a review source, and no link that outlives one made now', () => {
    const forge = (p: string, expires: number) => `${expires}.${createHmac('sha256', 'key-one-0123456789').update(`${expires}\n${p}`).digest('base64url')}`;
    const soon = Math.floor(now / 1000) + 60;
    expect(keyed.opens(path, forge(path, soon), now)).toBe(true);
    expect(keyed.opens('/api/v1/queues', forge('/api/v1/queues', soon), now)).toBe(false);
    expect(keyed.opens('/api/v1/videos', forge('/api/v1/videos', soon), now)).toBe(false);
    const source = '/api/v1/videos/0b8f6d2e-3c1a-4f57-9a41-2f0d1f9b8c11/source';
    expect(keyed.opens(source, forge(source, soon), now)).toBe(true);
    // A key holder signing a year ahead gets nothing: links last MEDIA_LINK_TTL_SECONDS at most.
    expect(keyed.opens(path, forge(path, soon + 365 * 86400), now)).toBe(false);
    expect(() => keyed.sign('/api/v1/queues', 'key-one-0123456789', now)).toThrow(/only output files/);
  });

  it('keeps tokens out of the logs', () => {
    expect(withoutToken(`${path}?access=1765000000.abc&x=1`)).toBe(`${path}?access=…&x=1`);
    expect(withoutToken(path)).toBe(path);
  });

  it('is the bare path where no keys are checked', () => {
    expect(links({}).sign(path, undefined, now).url).toBe(path);
  });
});
