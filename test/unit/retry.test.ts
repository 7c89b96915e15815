import { describe, expect, it } from 'vitest';
import { SesError } from '../../src/errors.js';
import { RetryQuota, backoffDelay, isAmbiguous, isClockSkew, retryAfterMs } from '../../src/retry.js';
import { ClockOffset } from '../../src/clock.js';

describe('backoffDelay', () => {
  it('is full jitter under min(base × 2^retry, cap), with a larger base for throttling', () => {
    expect(backoffDelay(0, false, {}, () => 0.999)).toBe(99);
    expect(backoffDelay(3, false, {}, () => 0.5)).toBe(400);
    expect(backoffDelay(0, true, {}, () => 0.999)).toBe(499);
    expect(backoffDelay(20, true, {}, () => 0.999)).toBe(19_980);
    expect(backoffDelay(5, false, {}, () => 0)).toBe(0);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, caps them, and ignores nonsense', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs('120', 0)).toBe(20_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });
});

describe('RetryQuota', () => {
  it('runs dry after 100 ordinary retries and refills on success', () => {
    const quota = new RetryQuota();
    let taken = 0;
    while (quota.take(5)) taken++;
    expect(taken).toBe(100);
    quota.refund(10);
    expect(quota.take(10)).toBe(true);
    expect(quota.take(5)).toBe(false);
  });
});

describe('classification', () => {
  const cause = (code: string) => Object.assign(new Error(code), { code });
  it('treats a refused connection as surely not sent and a reset as ambiguous', () => {
    expect(isAmbiguous(new SesError('x', { code: 'ECONNECTION', cause: cause('ECONNREFUSED') }))).toBe(false);
    expect(isAmbiguous(new SesError('x', { code: 'ECONNECTION', cause: cause('ECONNRESET') }))).toBe(true);
    expect(isAmbiguous(new SesError('x', { code: 'Throttling', statusCode: 400 }))).toBe(false);
    expect(isAmbiguous(new SesError('x', { code: 'EPROTOCOL', statusCode: 502 }))).toBe(true);
  });

  it('recognises clock-skew rejections', () => {
    expect(isClockSkew(new SesError('Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z', { code: 'SignatureDoesNotMatch' }))).toBe(true);
    expect(isClockSkew(new SesError('Request has expired', { code: 'RequestExpired' }))).toBe(true);
    expect(isClockSkew(new SesError('does not match', { code: 'SignatureDoesNotMatch' }))).toBe(false);
  });
});

describe('ClockOffset', () => {
  it('learns the offset from a Date header and signs with it', () => {
    const clock = new ClockOffset(() => Date.UTC(2026, 0, 1, 12, 0, 0));
    expect(clock.correct(new Date(Date.UTC(2026, 0, 1, 12, 20, 0)).toUTCString())).toBe(true);
    expect(clock.value).toBe(20 * 60_000);
    expect(clock.signingDate().toISOString()).toBe('2026-01-01T12:20:00.000Z');
    expect(clock.correct('not a date')).toBe(false);
    expect(clock.value).toBe(20 * 60_000);
  });
});
