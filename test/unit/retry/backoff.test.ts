import { describe, expect, it } from 'vitest';
import { boundedByHint, fullJitter, retryHintMs } from '../../../src/retry/backoff.js';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] });

describe('fullJitter', () => {
  it('is random(0, min(base × 2^retry, cap))', () => {
    expect(fullJitter(0, 50, 20_000, () => 0.999)).toBe(49);
    expect(fullJitter(3, 50, 20_000, () => 0.5)).toBe(200);
    expect(fullJitter(20, 1000, 20_000, () => 0.999)).toBe(19_980);
    expect(fullJitter(5, 50, 20_000, () => 0)).toBe(0);
  });
});

describe('boundedByHint', () => {
  it('never shortens the backoff, and adds at most 5 s to it', () => {
    expect(boundedByHint(300, 0)).toBe(300); // Retry-After: 0 does not retry at once
    expect(boundedByHint(300, 2000)).toBe(2000);
    expect(boundedByHint(300, 60_000)).toBe(5300);
    expect(boundedByHint(300, undefined)).toBe(300);
  });
});

describe('retryHintMs', () => {
  it('reads x-amz-retry-after (ms), Retry-After seconds and HTTP dates, and ignores nonsense', () => {
    expect(retryHintMs(headers({ 'x-amz-retry-after': '1500' }), 0)).toBe(1500);
    expect(retryHintMs(headers({ 'retry-after': '2' }), 0)).toBe(2000);
    expect(retryHintMs(headers({ 'retry-after': new Date(10_000).toUTCString() }), 5_000)).toBe(5_000);
    expect(retryHintMs(headers({ 'retry-after': 'soon' }), 0)).toBeUndefined();
    expect(retryHintMs(headers({}), 0)).toBeUndefined();
  });
});
