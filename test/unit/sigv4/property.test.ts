// Signs random requests with our signer and with @smithy/signature-v4 (AWS's own JavaScript signer,
// an independent implementation) and compares the Authorization headers.
import { ALWAYS_UNSIGNABLE_HEADERS, SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigV4Signer } from '../../../src/sigv4/index.js';
import { NodeSha256 } from '../../support/smithy-sha256.js';

// Header names smithy never signs (user-agent, …) or treats specially are left to other tests.
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,14}$/)
  .filter(
    (n) => !(n in ALWAYS_UNSIGNABLE_HEADERS) && !/^(proxy-|sec-|x-amz-)/.test(n) && !['host', 'content-type', 'date', 'expect'].includes(n),
  );
const headerValue = fc.oneof(
  fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/),
  fc.stringMatching(/^[ \t]{0,3}[!-~]{1,5}([ \t]{1,4}[!-~]{1,5}){0,3}[ \t]{0,3}$/),
);
const pathSegment = fc
  .string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', '~', ' ', '%', '+', '=', '!', '*', 'é', 'ሴ', '🎉'), minLength: 1, maxLength: 6 })
  .filter((s) => s !== '.' && s !== '..');
const queryPair = fc.tuple(
  fc.string({ unit: fc.constantFrom('a', 'B', '1', '-', '.', '_', '~', ' ', '+', '*', 'é'), minLength: 1, maxLength: 5 }),
  fc.string({ unit: fc.constantFrom('a', 'B', '1', '-', '~', ' ', '/', '=', "'", 'ሴ'), maxLength: 6 }),
);

const request = fc.record({
  method: fc.constantFrom('POST', 'POST', 'GET'),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1'),
  service: fc.constantFrom('ses', 'sts'),
  body: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 })),
  contentType: fc.option(fc.constantFrom('application/x-www-form-urlencoded; charset=utf-8', 'text/plain'), { nil: undefined }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  segments: fc.array(pathSegment, { maxLength: 3 }),
  trailingSlash: fc.boolean(),
  query: fc.uniqueArray(queryPair, { maxLength: 3, selector: ([k]) => k }),
  time: fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 0, 1) }),
  accessKeyId: fc.stringMatching(/^A[A-Z0-9]{15,19}$/),
  secret: fc.string({ minLength: 1, maxLength: 40 }),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/]{10,80}={0,2}$/), { nil: undefined }),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
});

describe('SigV4Signer against @smithy/signature-v4', () => {
  it('produces the same Authorization header for random requests', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const hostname = `email.${r.region}.amazonaws.com`;
        const host = r.port === undefined ? hostname : `${hostname}:${r.port}`;
        // The path as sent on the wire (encoded once), which is what both signers are given.
        const path = `/${r.segments.map(encodeURIComponent).join('/')}${r.segments.length && r.trailingSlash ? '/' : ''}`;
        const rawQuery = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const credentials = {
          accessKeyId: r.accessKeyId,
          secretAccessKey: r.secret,
          ...(r.sessionToken ? { sessionToken: r.sessionToken } : {}),
        };
        const headers: Record<string, string> = { ...(r.contentType ? { 'content-type': r.contentType } : {}), ...r.headers };
        const date = new Date(r.time);

        const ours = new SigV4Signer({ region: r.region, service: r.service }).sign(
          { method: r.method, host, path, query: rawQuery, headers, body: r.body },
          credentials,
          date,
        );

        const smithy = new SignatureV4({ credentials, region: r.region, service: r.service, sha256: NodeSha256, applyChecksum: false });
        const signed = await smithy.sign(
          {
            method: r.method,
            protocol: 'https:',
            hostname,
            port: r.port,
            path,
            headers: { ...headers, host },
            body: r.body,
            query: Object.fromEntries(r.query),
          },
          { signingDate: date },
        );
        expect(ours.authorization).toBe(signed.headers.authorization);
        expect(ours['x-amz-date']).toBe(signed.headers['x-amz-date']);
        expect(ours['x-amz-security-token']).toBe(signed.headers['x-amz-security-token']);
      }),
      { numRuns: 300 },
    );
  });
});
