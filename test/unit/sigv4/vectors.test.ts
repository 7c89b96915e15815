// AWS's SigV4 test-suite vectors (test/fixtures/sigv4, source named there), each step checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SigV4Signer, canonicalHeaders, canonicalRequest, credentialScope, deriveSigningKey, formatAmzDate,
  hashPayload, signature, stringToSign,
} from '../../../src/sigv4/index.js';

interface Vector {
  name: string; region: string; service: string; host: string; headers: Record<string, string>; body: string;
  canonicalRequest?: string; stringToSign?: string; payloadHash?: string; signedHeaders?: string; signature: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/sigv4/vectors.json', import.meta.url), 'utf8')) as {
  credentials: { accessKeyId: string; secretAccessKey: string }; date: string; cases: Vector[];
};
const date = new Date(fixture.date);

describe.each(fixture.cases)('SigV4 vector $name', (v) => {
  const amzDate = formatAmzDate(date);
  const headers = canonicalHeaders({ ...v.headers, host: v.host, 'x-amz-date': amzDate });
  const creq = canonicalRequest('POST', '/', '', headers, hashPayload(v.body));
  const scope = credentialScope(amzDate.slice(0, 8), v.region, v.service);
  const sts = stringToSign(amzDate, scope, creq);

  it('formats the date', () => expect(amzDate).toBe('20150830T123600Z'));
  if (v.payloadHash) it('hashes the payload', () => expect(hashPayload(v.body)).toBe(v.payloadHash));
  if (v.signedHeaders) it('lists the signed headers', () => expect(headers.signed).toBe(v.signedHeaders));
  if (v.canonicalRequest) it('builds the canonical request', () => expect(creq).toBe(v.canonicalRequest));
  if (v.stringToSign) it('builds the string to sign', () => expect(sts).toBe(v.stringToSign));

  it('computes the signature step by step', () => {
    const key = deriveSigningKey(fixture.credentials.secretAccessKey, '20150830', v.region, v.service);
    expect(signature(key, sts)).toBe(v.signature);
  });

  it('signs the whole request with SigV4Signer', () => {
    const added = new SigV4Signer({ region: v.region, service: v.service }).sign(
      { method: 'POST', host: v.host, path: '/', headers: v.headers, body: v.body },
      fixture.credentials,
      date,
    );
    expect(added['x-amz-date']).toBe('20150830T123600Z');
    expect(added.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/${v.region}/${v.service}/aws4_request, ` +
        `SignedHeaders=${headers.signed}, Signature=${v.signature}`,
    );
  });
});

describe('SigV4Signer', () => {
  it('signs the session token header when credentials carry one', () => {
    const added = new SigV4Signer({ region: 'eu-west-1', service: 'ses' }).sign(
      { method: 'POST', host: 'email.eu-west-1.amazonaws.com', path: '/', headers: { 'content-type': 'a/b' }, body: 'x' },
      { ...fixture.credentials, sessionToken: 'TOKEN/with+chars' },
      date,
    );
    expect(added['x-amz-security-token']).toBe('TOKEN/with+chars');
    expect(added.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,');
  });

  it('derives a new key when the day changes and reuses it within a day', () => {
    const signer = new SigV4Signer({ region: 'us-east-1', service: 'ses' });
    const req = { method: 'POST', host: 'h', path: '/', headers: {}, body: 'b' };
    const a = signer.sign(req, fixture.credentials, new Date('2015-08-30T00:00:01Z')).authorization;
    const b = signer.sign(req, fixture.credentials, new Date('2015-08-31T00:00:01Z')).authorization;
    const c = signer.sign(req, fixture.credentials, new Date('2015-08-30T00:00:01Z')).authorization;
    expect(a).not.toBe(b);
    expect(c).toBe(a);
  });
});
