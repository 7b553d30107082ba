// Pure formatting for the page.

/** 83_400 ms -> "1:23.4" (minutes:seconds.tenths): where a line is in the episode. */
export function clock(ms: number | null): string {
  if (ms === null) return '–';
  const tenths = Math.floor(ms / 100);
  const min = Math.floor(tenths / 600);
  const sec = (tenths % 600) / 10;
  return `${min}:${sec.toFixed(1).padStart(4, '0')}`;
}

/** Seconds left, in words a person reads at a glance. */
export function eta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `about ${min} min left` : `about ${Math.floor(min / 60)} h ${min % 60} min left`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The language folder of an output path (show/episode/{language}/kind/file), or null. */
export function languageOf(path: string): string | null {
  const parts = path.split('/');
  return parts.length >= 5 ? parts[2] : null;
}

/** "en,ko, es" -> ["en", "ko", "es"]. */
export function languageList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function statusWord(status: string): string {
  const words: Record<string, string> = {
    PENDING: 'waiting',
    STARTED: 'started',
    PROGRESS: 'running',
    RETRY: 'retrying',
    REVIEW: 'waiting for your review',
    SUCCESS: 'done',
    FAILURE: 'failed',
    REVOKED: 'cancelled',
  };
  return words[status] ?? status.toLowerCase();
}
