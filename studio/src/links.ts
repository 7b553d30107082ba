// Media links (a file's URL with a token) expire: fetch fresh ones a minute before, so that players and
// downloads keep working in a tab left open.
import { useEffect } from 'preact/hooks';

/** Calls `refresh` a minute before the earliest of `expiresAt` (ISO times); nothing when there are none. */
export function useLinkRefresh(expiresAt: (string | undefined)[], refresh: () => void): void {
  const times = expiresAt.filter((t): t is string => !!t).map((t) => Date.parse(t));
  const first = times.length ? Math.min(...times) : null;
  useEffect(() => {
    if (first === null) return;
    // setTimeout holds at most about 24.8 days; a link never lasts that long.
    const timer = setTimeout(refresh, Math.max(5_000, first - Date.now() - 60_000));
    return () => clearTimeout(timer);
  }, [first]);
}
