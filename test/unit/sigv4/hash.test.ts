import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPayload } from '../../../src/sigv4/index.js';

describe('hashPayload', () => {
  it('matches the suite payload hashes', () => {
    // From the AWS test suite .creq files (post-vanilla, post-x-www-form-urlencoded).
    expect(hashPayload('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashPayload('Param1=value1')).toBe('9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e');
  });

  it('hashes the SES-shaped body to the hash stated in the reference', () => {
    expect(hashPayload('Action=GetSendQuota&Version=2010-12-01')).toBe('97401f9fd0cf7b47352e32cf1bcda40a7eb3a00ab02772b6482b803378e3d4ef');
  });

  it('hashes a string as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => hashPayload(s) === hashPayload(new TextEncoder().encode(s))),
      { numRuns: 200 },
    );
  });

  it('hashes a view of a larger buffer by its own bytes only', () => {
    const whole = new TextEncoder().encode('xxParam1=value1yy');
    expect(hashPayload(whole.subarray(2, 15))).toBe(hashPayload('Param1=value1'));
  });
});
