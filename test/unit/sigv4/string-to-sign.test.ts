import { describe, expect, it } from 'vitest';
import { credentialScope, dateStamp, formatAmzDate, stringToSign } from '../../../src/sigv4/index.js';
import { SUITE_DATE, loadSuite } from '../../fixtures/sigv4/suite.js';

describe('credentialScope', () => {
  it('is date/region/service/aws4_request', () => {
    expect(credentialScope('20150830', 'eu-west-1', 'ses')).toBe('20150830/eu-west-1/ses/aws4_request');
  });
});

describe('stringToSign against the AWS test suite', () => {
  const amzDate = formatAmzDate(SUITE_DATE);
  const cases = loadSuite().filter((c) => c.expected.canonicalRequest !== undefined && c.expected.stringToSign !== undefined);

  it.each(cases.map((c) => [c.name, c] as const))('%s: .creq → .sts', (_name, c) => {
    const scope = credentialScope(dateStamp(amzDate), c.region, c.service);
    expect(stringToSign(amzDate, scope, c.expected.canonicalRequest!)).toBe(c.expected.stringToSign);
  });

  it('hashes the canonical request as UTF-8', () => {
    // SHA-256 of the empty string, a published constant.
    expect(stringToSign('20150830T123600Z', 's', '')).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\ns\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
