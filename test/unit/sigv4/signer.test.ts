import { describe, expect, it } from 'vitest';
import { SigV4Signer, hashPayload } from '../../../src/sigv4/index.js';
import { SUITE_CREDENTIALS, SUITE_DATE, loadSuite } from '../../fixtures/sigv4/suite.js';

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

describe('SigV4Signer against the AWS test suite and the SES case', () => {
  it.each(loadSuite().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const credentials = { ...SUITE_CREDENTIALS, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
    const added = new SigV4Signer({ region: c.region, service: c.service }).sign(
      { method: c.method, host: c.host, path: c.path, query: c.query, headers: c.headers, body: c.body },
      credentials,
      SUITE_DATE,
    );
    expect(added).toEqual({
      'x-amz-date': '20150830T123600Z',
      ...(c.sessionToken ? { 'x-amz-security-token': c.sessionToken } : {}),
      authorization: c.expected.authorization,
    });
  });
});

describe('SigV4Signer', () => {
  const ses = new SigV4Signer({ region: 'us-east-1', service: 'ses' });
  const request = {
    method: 'POST',
    host: 'email.us-east-1.amazonaws.com',
    path: '/',
    headers: { 'content-type': FORM },
    body: 'Action=GetSendQuota&Version=2010-12-01',
  };
  // The project's SES-shaped vector (test/fixtures/sigv4/README.md).
  const sesSignature = 'bf7f7294b91f9f8149391fda5fdf344f04bff5c59ef9b08efb5002fc0dfc274b';

  it('signs content-type, host and x-amz-date for an SES call', () => {
    const { authorization } = ses.sign(request, SUITE_CREDENTIALS, SUITE_DATE);
    expect(authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${sesSignature}`,
    );
  });

  it('uses a given payload hash instead of hashing the body', () => {
    const hash = hashPayload(request.body);
    expect(ses.sign({ ...request, body: 'ignored', payloadHash: hash }, SUITE_CREDENTIALS, SUITE_DATE).authorization).toContain(
      sesSignature,
    );
  });

  it('signs a Uint8Array body like the same string', () => {
    const bytes = new TextEncoder().encode(request.body);
    expect(ses.sign({ ...request, body: bytes }, SUITE_CREDENTIALS, SUITE_DATE).authorization).toContain(sesSignature);
  });

  it('ignores a caller-given host, x-amz-date, token or authorization (any case) in favour of its own', () => {
    const headers = {
      ...request.headers,
      Host: 'evil.example',
      'x-amz-date': '19990101T000000Z',
      'X-Amz-Security-Token': 'stale',
      authorization: 'old',
    };
    const added = ses.sign({ ...request, headers }, SUITE_CREDENTIALS, SUITE_DATE);
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-amz-date']);
    expect(added['x-amz-date']).toBe('20150830T123600Z');
    expect(added.authorization).toContain(sesSignature);
  });

  it('signs the session token when the credentials carry one, and returns it', () => {
    const token = 'FwoGZXIvYXdzE+/token==';
    const added = ses.sign(request, { ...SUITE_CREDENTIALS, sessionToken: token }, SUITE_DATE);
    expect(added['x-amz-security-token']).toBe(token);
    expect(added.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, ');
    expect(added.authorization).not.toContain(sesSignature);
    expect(added.authorization).not.toContain(token);
  });

  it('leaves the secret out of everything it returns', () => {
    const added = ses.sign(request, { ...SUITE_CREDENTIALS, sessionToken: 'tok' }, SUITE_DATE);
    expect(JSON.stringify(added)).not.toContain(SUITE_CREDENTIALS.secretAccessKey);
  });

  it('keeps signing right across a day change and back (one cached key)', () => {
    const signer = new SigV4Signer({ region: 'us-east-1', service: 'ses' });
    const day1 = new Date('2015-08-30T23:59:59Z');
    const day2 = new Date('2015-08-31T00:00:00Z');
    const fresh = (d: Date) => new SigV4Signer({ region: 'us-east-1', service: 'ses' }).sign(request, SUITE_CREDENTIALS, d).authorization;
    const a = signer.sign(request, SUITE_CREDENTIALS, day1).authorization;
    const b = signer.sign(request, SUITE_CREDENTIALS, day2).authorization;
    const c = signer.sign(request, SUITE_CREDENTIALS, day1).authorization;
    expect(b).toContain('/20150831/us-east-1/ses/aws4_request');
    expect([a, b, c]).toEqual([fresh(day1), fresh(day2), fresh(day1)]);
    expect(a).not.toBe(b);
  });

  it('keeps signing right when the secret changes (rotated credentials)', () => {
    const signer = new SigV4Signer({ region: 'us-east-1', service: 'ses' });
    const other = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'another-secret' };
    signer.sign(request, SUITE_CREDENTIALS, SUITE_DATE);
    const rotated = signer.sign(request, other, SUITE_DATE).authorization;
    expect(rotated).toBe(new SigV4Signer({ region: 'us-east-1', service: 'ses' }).sign(request, other, SUITE_DATE).authorization);
  });
});
