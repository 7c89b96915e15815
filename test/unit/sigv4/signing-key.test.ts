import { getSigningKey } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigningKeyCache, deriveSigningKey, signature } from '../../../src/sigv4/index.js';
import { SUITE_CREDENTIALS, loadSuite } from '../../fixtures/sigv4/suite.js';
import { NodeSha256 } from '../../support/smithy-sha256.js';

const signatureOf = (authorization: string): string => /Signature=([0-9a-f]{64})$/.exec(authorization)![1]!;

describe('deriveSigningKey', () => {
  it('yields the key that signs the suite strings to the suite signatures', () => {
    const cases = loadSuite().filter((x) => x.expected.stringToSign !== undefined);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const key = deriveSigningKey(SUITE_CREDENTIALS.secretAccessKey, '20150830', c.region, c.service);
      expect(signature(key, c.expected.stringToSign!), c.name).toBe(signatureOf(c.expected.authorization));
    }
  });

  it('agrees with @smithy/signature-v4 for random secrets, dates, regions and services', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.stringMatching(/^[a-z]{2}(-[a-z]+){1,2}-[1-9]$/),
        fc.constantFrom('ses', 'sts', 'email', 'service'),
        async (secret, date, region, service) => {
          const stamp = date.toISOString().slice(0, 10).replace(/-/g, '');
          const theirs = await getSigningKey(NodeSha256, { accessKeyId: 'AKID', secretAccessKey: secret }, stamp, region, service);
          expect(deriveSigningKey(secret, stamp, region, service).equals(Buffer.from(theirs))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('SigningKeyCache', () => {
  const secret = SUITE_CREDENTIALS.secretAccessKey;

  it('returns the same key object while the inputs stay the same', () => {
    const cache = new SigningKeyCache();
    const first = cache.get(secret, '20150830', 'us-east-1', 'ses');
    expect(cache.get(secret, '20150830', 'us-east-1', 'ses')).toBe(first);
    expect(first.equals(deriveSigningKey(secret, '20150830', 'us-east-1', 'ses'))).toBe(true);
  });

  type KeyInputs = [secret: string, dateStamp: string, region: string, service: string];
  it.each<[string, KeyInputs]>([
    ['secret', ['other-secret', '20150830', 'us-east-1', 'ses']],
    ['day', [secret, '20150831', 'us-east-1', 'ses']],
    ['region', [secret, '20150830', 'eu-west-1', 'ses']],
    ['service', [secret, '20150830', 'us-east-1', 'sts']],
  ])('derives a new key when the %s changes', (_what, inputs) => {
    const cache = new SigningKeyCache();
    const first = cache.get(secret, '20150830', 'us-east-1', 'ses');
    const next = cache.get(...inputs);
    expect(next.equals(deriveSigningKey(...inputs))).toBe(true);
    expect(next.equals(first)).toBe(false);
    // One entry: going back derives again, and still right.
    expect(cache.get(secret, '20150830', 'us-east-1', 'ses').equals(first)).toBe(true);
  });
});
