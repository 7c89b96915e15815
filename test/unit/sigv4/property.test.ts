// Signs random requests with our signer and with @smithy/signature-v4 (AWS's own implementation) and
// compares the Authorization headers.
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SigV4Signer } from '../../../src/sigv4/index.js';
import { NodeSha256 } from '../../support/smithy-sha256.js';

const headerName = fc.stringMatching(/^x-[a-z][a-z0-9-]{0,12}$/);
const headerValue = fc.stringMatching(/^[ -~]{0,30}$/).filter((v) => v.trim().length > 0);
const request = fc.record({
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1'),
  service: fc.constantFrom('ses', 'sts'),
  body: fc.string({ unit: 'grapheme', maxLength: 300 }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
  time: fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 0, 1) }),
  sessionToken: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{10,60}$/), { nil: undefined }),
  secret: fc.stringMatching(/^[A-Za-z0-9+/]{40}$/),
  port: fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined }),
});

describe('SigV4Signer against @smithy/signature-v4', () => {
  it('produces the same Authorization header for random requests', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const host = `email.${r.region}.amazonaws.com${r.port ? `:${r.port}` : ''}`;
        const credentials = { accessKeyId: 'AKIDPROPERTY', secretAccessKey: r.secret, sessionToken: r.sessionToken };
        const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...r.headers };
        const date = new Date(Math.floor(r.time / 1000) * 1000);
        const ours = new SigV4Signer({ region: r.region, service: r.service }).sign({ method: 'POST', host, path: '/', headers, body: r.body }, credentials, date);
        const smithy = new SignatureV4({ credentials, region: r.region, service: r.service, sha256: NodeSha256, applyChecksum: false });
        const signed = await smithy.sign(
          { method: 'POST', protocol: 'https:', hostname: host.split(':')[0]!, port: r.port, path: '/', headers: { ...headers, host }, body: r.body, query: {} },
          { signingDate: date },
        );
        if (signed.headers.authorization !== ours.authorization) {
          throw new Error(`mismatch:\n ours   ${ours.authorization}\n smithy ${signed.headers.authorization}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
