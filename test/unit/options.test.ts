import { describe, expect, it } from 'vitest';
import { checkOptions } from '../../src/options.js';
import { SesError } from '../../src/errors.js';

function configErrorOf(options: unknown): SesError {
  try {
    checkOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(SesError);
    expect((err as SesError).code).toBe('ECONFIG');
    return err as SesError;
  }
  throw new Error('expected ECONFIG');
}

describe('checkOptions', () => {
  it('accepts nothing at all and a full set of valid options', () => {
    expect(checkOptions(undefined)).toEqual({});
    const full = {
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      profile: 'p',
      endpoint: 'https://email.eu-west-1.amazonaws.com',
      ses: {},
      action: 'SendRawEmail',
      timeout: 1000,
      sendTimeout: 5000,
      maxAttempts: 1,
      retryAmbiguous: false,
      sendingRate: 'auto',
      maxConnections: 4,
      logger: false,
    };
    expect(checkOptions(full)).toBe(full);
  });

  it('names an unknown option, which is usually a typo', () => {
    expect(configErrorOf({ sendRate: 5 }).message).toContain('"sendRate"');
  });

  it.each([
    [{ action: 'SendTemplatedEmail' }, '"action"'],
    [{ timeout: 0 }, '"timeout"'],
    [{ timeout: Number.NaN }, '"timeout"'],
    [{ maxAttempts: 1.5 }, '"maxAttempts"'],
    [{ maxConnections: -1 }, '"maxConnections"'],
    [{ sendingRate: 'fast' }, '"sendingRate"'],
    [{ sendingRate: 5, rateLimiter: { acquire() {}, isReady() {}, onceReady() {} } }, 'not both'],
    [{ rateLimiter: {} }, '"rateLimiter"'],
    [{ credentials: { accessKeyId: 'a' } }, '"credentials"'],
    [{ retryAmbiguous: 'no' }, '"retryAmbiguous"'],
    [{ region: '' }, '"region"'],
  ])('refuses %j', (options, fragment) => {
    expect(configErrorOf(options).message).toContain(fragment);
  });

  it('never echoes a secret it refuses', () => {
    const err = configErrorOf({ credentials: { accessKeyId: '', secretAccessKey: 'TOP-SECRET-VALUE' } });
    expect(err.message).not.toContain('TOP-SECRET-VALUE');
  });
});

describe('timer limits', () => {
  it('refuses a timeout or sendTimeout a timer cannot hold (over 2^31 − 1 ms) with ECONFIG', () => {
    expect(() => checkOptions({ sendTimeout: 30 * 24 * 3600_000 })).toThrow(expect.objectContaining({ code: 'ECONFIG' }) as Error);
    expect(() => checkOptions({ timeout: 2 ** 31 })).toThrow(expect.objectContaining({ code: 'ECONFIG' }) as Error);
    expect(() => checkOptions({ sendTimeout: 2 ** 31 - 1 })).not.toThrow();
  });
});
