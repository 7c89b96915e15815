import { describe, expect, it } from 'vitest';
import { SesError } from '../../../src/errors.js';
import { classify, isAmbiguous } from '../../../src/retry/classify.js';

const err = (code: string, statusCode?: number, message = '', cause?: unknown) => new SesError(message, { code, statusCode, cause });

describe('classify', () => {
  it.each([
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestThrottled',
    'RequestLimitExceeded',
    'PriorRequestNotComplete',
    'SlowDown',
    'EC2ThrottledException',
  ])('treats %s as throttling, and retryable', (code) => {
    const e = err(code, 400, 'Maximum sending rate exceeded.');
    expect(classify(e)).toBe('throttling');
    expect(e.retryable).toBe(true);
  });

  it('treats any HTTP 429 as throttling, XML code or plain text', () => {
    expect(classify(err('EPROTOCOL', 429))).toBe('throttling');
    expect(classify(err('SomethingNew', 429))).toBe('throttling');
    expect(err('EPROTOCOL', 429).retryable).toBe(true);
  });

  it('never retries the daily quota', () => {
    const e = err('Throttling', 400, 'Daily message quota exceeded.');
    expect(classify(e)).toBe('permanent');
    expect(e.retryable).toBe(false);
  });

  it('retries 5xx statuses and transient codes', () => {
    for (const s of [500, 502, 503, 504]) expect(classify(err('EPROTOCOL', s))).toBe('transient');
    expect(classify(err('RequestTimeout', 400))).toBe('transient');
    expect(classify(err('EPROTOCOL', 200))).toBe('permanent');
    expect(classify(err('MessageRejected', 400))).toBe('permanent');
  });

  it('retries lost connections but not certificate failures', () => {
    expect(classify(err('ECONNECTION', undefined, '', Object.assign(new Error('reset'), { code: 'ECONNRESET' })))).toBe('transient');
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      const e = err('ECONNECTION', undefined, 'tls', Object.assign(new Error('tls'), { code }));
      expect(classify(e)).toBe('permanent');
      expect(e.retryable).toBe(false);
    }
  });

  it('puts signature-time refusals and expired tokens in their own kinds, not retryable by default', () => {
    expect(classify(err('SignatureDoesNotMatch', 403, 'Signature not yet current: 20261123T000000Z is still later than …'))).toBe(
      'clock-skew',
    );
    expect(classify(err('RequestExpired', 400))).toBe('clock-skew');
    expect(err('RequestExpired', 400).retryable).toBe(false);
    expect(classify(err('ExpiredToken', 403))).toBe('expired-token');
  });
});

describe('isAmbiguous', () => {
  it('is false for refusals and for connections that never carried the request', () => {
    expect(isAmbiguous(err('Throttling', 400))).toBe(false);
    expect(isAmbiguous(err('ECONNECTION', undefined, '', { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isAmbiguous(err('ETIMEDOUT', undefined, '', { code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe(false);
  });
  it('is true for 5xx, resets and answer timeouts', () => {
    expect(isAmbiguous(err('ServiceUnavailable', 503))).toBe(true);
    expect(isAmbiguous(err('ECONNECTION', undefined, '', { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isAmbiguous(err('ETIMEDOUT', undefined, '', { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(true);
  });
});
