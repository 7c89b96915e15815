import { describe, expect, it } from 'vitest';
import { SesError } from '../../../src/errors.js';
import { StandardRetryStrategy } from '../../../src/retry/strategy.js';

const throttled = () => new SesError('Maximum sending rate exceeded.', { code: 'Throttling', statusCode: 400 });
const unavailable = () => new SesError('busy', { code: 'ServiceUnavailable', statusCode: 503 });

describe('StandardRetryStrategy', () => {
  it('costs 14 per ordinary retry and 5 per throttling retry, and runs dry', () => {
    const s = new StandardRetryStrategy({ maxAttempts: 1000 });
    let retries = 0;
    for (;;) {
      const d = s.retryAfter(s.begin(), { error: unavailable(), attempts: 1 });
      if (!d.retry) {
        expect(d.reason).toBe('quota');
        break;
      }
      retries++;
    }
    expect(retries).toBe(Math.floor(500 / 14));
    expect(s.capacity).toBe(500 % 14);
  });

  it('refills: +1 per call that succeeds without a retry, the last cost back after retries (cap 500)', () => {
    const s = new StandardRetryStrategy();
    for (let i = 0; i < 40; i++) s.retryAfter(s.begin(), { error: unavailable(), attempts: 1 });
    expect(s.capacity).toBe(500 - 35 * 14);
    const a = s.begin();
    s.recordSuccess(a);
    expect(s.capacity).toBe(500 - 35 * 14 + 1);
    const b = s.begin();
    s.retryAfter(b, { error: throttled(), attempts: 1 });
    s.recordSuccess(b);
    expect(s.capacity).toBe(500 - 35 * 14 + 1);
    for (let i = 0; i < 1000; i++) s.recordSuccess(s.begin());
    expect(s.capacity).toBe(500);
  });

  it('stops at maxAttempts; maxAttempts 1 never retries, clock skew and expired tokens included', () => {
    const s = new StandardRetryStrategy({ maxAttempts: 1 });
    expect(s.retryAfter(s.begin(), { error: throttled(), attempts: 1 })).toMatchObject({ retry: false, reason: 'attempts' });
    const skew = new SesError('Signature expired', { code: 'SignatureDoesNotMatch', statusCode: 403 });
    expect(s.retryAfter(s.begin(), { error: skew, attempts: 1, clockCorrected: true })).toMatchObject({ retry: false, reason: 'attempts' });
    const expired = new SesError('expired', { code: 'ExpiredToken', statusCode: 403 });
    expect(s.retryAfter(s.begin(), { error: expired, attempts: 1, canRefreshCredentials: true })).toMatchObject({
      retry: false,
      reason: 'attempts',
    });
  });

  it('retries clock skew only after a correction, and once per call', () => {
    const s = new StandardRetryStrategy({ maxAttempts: 5 });
    const skew = new SesError('Signature not yet current', { code: 'SignatureDoesNotMatch', statusCode: 403 });
    expect(s.retryAfter(s.begin(), { error: skew, attempts: 1, clockCorrected: false })).toMatchObject({
      retry: false,
      reason: 'not retryable',
    });
    const t = s.begin();
    expect(s.retryAfter(t, { error: skew, attempts: 1, clockCorrected: true })).toMatchObject({ retry: true, kind: 'clock-skew' });
    expect(s.retryAfter(t, { error: skew, attempts: 2, clockCorrected: true })).toMatchObject({ retry: false });
  });

  it('uses the throttling base after throttling and lets a hint only lengthen the delay', () => {
    const s = new StandardRetryStrategy({ random: () => 0.5 });
    expect(s.retryAfter(s.begin(), { error: throttled(), attempts: 1 })).toMatchObject({ retry: true, delay: 500 });
    expect(s.retryAfter(s.begin(), { error: unavailable(), attempts: 1 })).toMatchObject({ retry: true, delay: 25 });
    expect(s.retryAfter(s.begin(), { error: unavailable(), attempts: 1, retryHintMs: 0 })).toMatchObject({ retry: true, delay: 25 });
    expect(s.retryAfter(s.begin(), { error: unavailable(), attempts: 1, retryHintMs: 60_000 })).toMatchObject({ retry: true, delay: 5025 });
  });

  it('does not retry ambiguous failures when told not to, but still retries throttling', () => {
    const s = new StandardRetryStrategy({ retryAmbiguous: false });
    expect(s.retryAfter(s.begin(), { error: unavailable(), attempts: 1 })).toMatchObject({ retry: false, reason: 'ambiguous' });
    expect(s.retryAfter(s.begin(), { error: throttled(), attempts: 1 })).toMatchObject({ retry: true });
  });
});
