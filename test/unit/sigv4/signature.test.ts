import { describe, expect, it } from 'vitest';
import { authorizationHeader, credentialScope, deriveSigningKey, signature } from '../../../src/sigv4/index.js';
import { SUITE_CREDENTIALS, loadSuite } from '../../fixtures/sigv4/suite.js';

describe('signature and authorizationHeader against the AWS test suite', () => {
  const cases = loadSuite().filter((c) => c.expected.stringToSign !== undefined);

  it.each(cases.map((c) => [c.name, c] as const))('%s: .sts → .authz', (_name, c) => {
    const key = deriveSigningKey(SUITE_CREDENTIALS.secretAccessKey, '20150830', c.region, c.service);
    const hex = signature(key, c.expected.stringToSign!);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const signed = /SignedHeaders=([^,]+),/.exec(c.expected.authorization)![1]!;
    const scope = credentialScope('20150830', c.region, c.service);
    expect(authorizationHeader(SUITE_CREDENTIALS.accessKeyId, scope, signed, hex)).toBe(c.expected.authorization);
  });
});
