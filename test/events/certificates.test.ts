// The signing certificate: a URL the SNS host refuses (4xx) is a forged message (400, remembered for a
// while, one fetch), an outage is retryable (500, fetched again); junk URLs cannot push the real
// certificate out; and the certificate must be issued to the SNS signing name of the topic's region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateCache } from '../../src/events/certificates.js';
import { SesEventReceiver } from '../../src/events/index.js';
import { parseSnsBody, type SnsMessage } from '../../src/events/sns-message.js';
import { snsSigningNames } from '../../src/events/sns-urls.js';
import { verifySnsMessage } from '../../src/events/verifier.js';
import { CERT_PATH, TOPIC, makeSigningCert, startFakeSns, type Envelope, type FakeSns } from './support/fake-sns.js';
import { rejection as refusal } from '../support/rejection.js';

let sns: FakeSns;
beforeAll(async () => {
  sns = await startFakeSns();
});
afterAll(async () => {
  await sns?.close();
});

function cache(options: Partial<ConstructorParameters<typeof CertificateCache>[0]> = {}, on = sns) {
  return new CertificateCache({ dispatcher: on.dispatcher, ...options });
}

async function verify(envelope: Envelope, certificates: CertificateCache, on = sns): Promise<void> {
  const message = parseSnsBody(JSON.stringify(envelope)) as SnsMessage;
  await verifySnsMessage(message, { isSnsUrl: (u) => on.isSnsUrl(u), certificates });
}

const countOf = (path: string) => sns.requests.filter((p) => p === path).length;

describe('certificate fetch failures', () => {
  it('a certificate URL the SNS host answers 404 or 403: ESNSSIGNATURE (not retryable), fetched once for many messages', async () => {
    sns.routes.set('/SimpleNotificationService-forbidden.pem', (res) => {
      res.writeHead(403);
      res.end();
    });
    const certificates = cache();
    for (const name of ['missing', 'forbidden']) {
      const path = `/SimpleNotificationService-${name}.pem`;
      for (let i = 0; i < 3; i++) {
        const err = await refusal(verify({ ...sns.signed({ Message: 'x' }), SigningCertURL: `${sns.url}${path}` }, certificates));
        expect([err.code, err.retryable]).toEqual(['ESNSSIGNATURE', false]);
        expect(err.message).toMatch(/HTTP 40[34]/);
      }
      expect(countOf(path)).toBe(1);
    }
  });

  it('through the handler: a forged message naming a missing .pem is answered 400', async () => {
    const r = new SesEventReceiver({ topicArns: [TOPIC], onEvent: () => {}, isSnsUrl: (u) => sns.isSnsUrl(u), dispatcher: sns.dispatcher });
    const h = r.fetchHandler();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const forged = {
        ...sns.signed({ Message: 'x' }),
        SigningCertURL: `${sns.url}/SimpleNotificationService-forged${i}.pem`,
        Signature: 'AAAA',
      };
      statuses.push((await h(new Request('http://127.0.0.1/', { method: 'POST', body: JSON.stringify(forged) }))).status);
    }
    expect(statuses).toEqual([400, 400, 400]);
  });

  it('a 5xx or 429 is an outage: ESNSCERT, retryable (500), and not remembered', async () => {
    let status = 503;
    sns.routes.set('/SimpleNotificationService-flaky.pem', (res) => {
      res.writeHead(status);
      res.end();
    });
    const certificates = cache();
    const m = { ...sns.signed({ Message: 'x' }), SigningCertURL: `${sns.url}/SimpleNotificationService-flaky.pem` };
    for (const s of [503, 429]) {
      status = s;
      const err = await refusal(verify(m, certificates));
      expect([err.code, err.retryable]).toEqual(['ESNSCERT', true]);
    }
    expect(countOf('/SimpleNotificationService-flaky.pem')).toBe(2);
  });

  it('messages naming many junk URLs do not push the real certificate out of the cache', async () => {
    const certificates = cache({ maxEntries: 2 });
    await verify(sns.signed({ Message: 'real' }), certificates);
    const before = countOf(CERT_PATH);
    // At the same time, as a flood would: pending fetches must not count against the kept certificates.
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        refusal(
          verify({ ...sns.signed({ Message: 'x' }), SigningCertURL: `${sns.url}/SimpleNotificationService-junk${i}.pem` }, certificates),
        ),
      ),
    );
    await verify(sns.signed({ Message: 'real again' }), certificates);
    expect(countOf(CERT_PATH)).toBe(before);
    expect(certificates.fetches).toBe(9);
  });

  it('fetches at most maxPending distinct URLs at once; more is refused as retryable without a fetch', async () => {
    const held: Array<import('node:http').ServerResponse> = [];
    for (let i = 0; i < 3; i++) sns.routes.set(`/SimpleNotificationService-held${i}.pem`, (res) => void held.push(res));
    const certificates = cache({ maxPending: 2 });
    const m = (i: number) => ({ ...sns.signed({ Message: 'x' }), SigningCertURL: `${sns.url}/SimpleNotificationService-held${i}.pem` });
    const first = [refusal(verify(m(0), certificates)), refusal(verify(m(1), certificates))];
    const third = await refusal(verify(m(2), certificates));
    expect([third.code, third.retryable]).toEqual(['ESNSCERT', true]);
    expect(third.message).toMatch(/Too many/);
    expect(certificates.fetches).toBe(2);
    while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
    for (const res of held) {
      res.writeHead(404);
      res.end();
    }
    expect((await Promise.all(first)).map((e) => e.code)).toEqual(['ESNSSIGNATURE', 'ESNSSIGNATURE']);
  });
});

describe('certificate subject', () => {
  it('names per region as aws-sdk-java-v2 SnsHostProvider, plus sns-signing.<region> for regions it does not list', () => {
    const arn = (region: string, partition = 'aws') => `arn:${partition}:sns:${region}:123456789012:t`;
    expect(snsSigningNames(arn('eu-west-1'))).toEqual(['sns.amazonaws.com', 'sns-signing.eu-west-1.amazonaws.com']);
    expect(snsSigningNames(arn('us-east-1'))).toContain('sns.amazonaws.com');
    expect(snsSigningNames(arn('af-south-1'))).toEqual(['sns-signing.af-south-1.amazonaws.com']);
    expect(snsSigningNames(arn('me-central-1'))).toEqual(['sns-signing.me-central-1.amazonaws.com']);
    expect(snsSigningNames(arn('cn-north-1', 'aws-cn'))).toEqual(['sns-cn-north-1.amazonaws.com.cn']);
    expect(snsSigningNames(arn('us-gov-east-1', 'aws-us-gov'))).toEqual(['sns-us-gov-west-1.amazonaws.com']);
    expect(snsSigningNames(arn('us-iso-east-1', 'aws-iso'))).toEqual(['sns-us-iso-east-1.c2s.ic.gov']);
    expect(snsSigningNames(arn('eusc-de-east-1', 'aws-eusc'))).toEqual(['sns-signing.eusc-de-east-1.amazonaws.eu']);
    expect(snsSigningNames(arn('us-iso-west-1', 'aws-iso'))).toEqual([
      'sns.amazonaws.com',
      'sns.c2s.ic.gov',
      'sns-signing.us-iso-west-1.c2s.ic.gov',
    ]);
  });

  it('refuses a certificate from the SNS host whose subject is not the SNS signing name (ESNSSIGNATURE)', async () => {
    const other = await startFakeSns(makeSigningCert(1, 'attacker.example'));
    try {
      const err = await refusal(verify(other.signed({ Message: 'x' }), cache({}, other), other));
      expect(err.code).toBe('ESNSSIGNATURE');
      expect(err.message).toMatch(/attacker\.example.*not issued to sns\.amazonaws\.com/);
    } finally {
      await other.close();
    }
  });

  it("accepts a region's own signing name, and only for that region", async () => {
    const other = await startFakeSns(makeSigningCert(1, 'sns-signing.af-south-1.amazonaws.com'));
    try {
      const certificates = cache({}, other);
      await verify(other.signed({ Message: 'x', TopicArn: 'arn:aws:sns:af-south-1:123456789012:ses-events' }), certificates, other);
      expect((await refusal(verify(other.signed({ Message: 'x' }), certificates, other))).code).toBe('ESNSSIGNATURE');
    } finally {
      await other.close();
    }
  });
});
