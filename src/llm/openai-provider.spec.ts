import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './openai-provider';

describe('retryAfterMs', () => {
  it('reads seconds, a date, and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
  });
  it('says nothing when the answer does not say', () => {
    expect(retryAfterMs(new Headers())).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeNull();
  });
});
