// The SNS signature check against a loopback stand-in for SNS: both signature versions, each message
// type, and the attacks (changed body, another key, certificate elsewhere, redirects, oversize, slow).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateCache } from '../../src/events/certificates.js';
import { canonicalString, parseSnsBody, type SnsMessage } from '../../src/events/sns-message.js';
import { defaultIsSnsUrl } from '../../src/events/sns-urls.js';
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

function cache(options: Partial<ConstructorParameters<typeof CertificateCache>[0]> = {}) {
  return new CertificateCache({ dispatcher: sns.dispatcher, ...options });
}

async function verify(envelope: Envelope, certificates = cache(), now?: number) {
  const message = parseSnsBody(JSON.stringify(envelope)) as SnsMessage;
  await verifySnsMessage(message, { isSnsUrl: (u) => sns.isSnsUrl(u), certificates, now });
  return message;
}

describe('canonical string', () => {
  it('is name\\nvalue\\n per field in the documented order, ending in a newline; Subject only when present', () => {
    const base = {
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: TOPIC,
      Message: 'hello',
      Timestamp: '2024-01-01T00:00:00.000Z',
      SignatureVersion: '2',
      Signature: 'x',
      SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/a.pem',
    };
    expect(canonicalString(parseSnsBody(base) as SnsMessage)).toBe(
      `Message\nhello\nMessageId\nm-1\nTimestamp\n2024-01-01T00:00:00.000Z\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
    expect(canonicalString(parseSnsBody({ ...base, Subject: 'Hi' }) as SnsMessage)).toBe(
      `Message\nhello\nMessageId\nm-1\nSubject\nHi\nTimestamp\n2024-01-01T00:00:00.000Z\nTopicArn\n${TOPIC}\nType\nNotification\n`,
    );
    const sub = {
      ...base,
      Type: 'SubscriptionConfirmation',
      SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription',
      Token: 't',
    };
    expect(canonicalString(parseSnsBody(sub) as SnsMessage)).toBe(
      `Message\nhello\nMessageId\nm-1\nSubscribeURL\nhttps://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription\nTimestamp\n2024-01-01T00:00:00.000Z\nToken\nt\nTopicArn\n${TOPIC}\nType\nSubscriptionConfirmation\n`,
    );
  });
});

describe('verifySnsMessage', () => {
  it.each(['1', '2'] as const)('accepts a notification signed with SignatureVersion %s, with and without Subject', async (v) => {
    await verify(sns.signed({ Message: '{"notificationType":"Delivery"}' }, v));
    await verify(sns.signed({ Message: 'multi\nline "quoted" ünïcode', Subject: 'Amazon SES Email Event Notification' }, v));
  });

  it.each(['1', '2'] as const)('accepts SubscriptionConfirmation and UnsubscribeConfirmation (version %s)', async (v) => {
    await verify(sns.subscriptionConfirmation({}, v));
    await verify(sns.subscriptionConfirmation({ Type: 'UnsubscribeConfirmation' }, v));
  });

  it('refuses a changed body, a changed field, a Subject added, and a signature by another key', async () => {
    const good = sns.signed({ Message: '{"notificationType":"Bounce"}' });
    for (const bad of [
      { ...good, Message: '{"notificationType":"Delivery"}' },
      { ...good, TopicArn: 'arn:aws:sns:eu-west-1:123456789012:other' },
      { ...good, Timestamp: new Date(Date.now() + 1000).toISOString() },
      { ...good, Subject: 'added' },
      { ...good, SignatureVersion: '1' },
      sns.resign({ ...good, Message: 'forged' }, makeSigningCert().key),
      { ...good, Signature: '' + 'A'.repeat(344) },
    ]) {
      expect((await refusal(verify(bad))).code).toBe(bad.Signature === '' ? 'ESNSMALFORMED' : 'ESNSSIGNATURE');
    }
  });

  it('refuses a SubscribeURL or Token changed after signing', async () => {
    const good = sns.subscriptionConfirmation();
    expect((await refusal(verify({ ...good, SubscribeURL: 'https://127.0.0.1:1/?Action=ConfirmSubscription' }))).code).toBe(
      'ESNSSIGNATURE',
    );
    expect((await refusal(verify({ ...good, Token: 'other' }))).code).toBe('ESNSSIGNATURE');
  });

  it('refuses a certificate URL on another host, port, scheme or path, before fetching anything', async () => {
    const before = sns.requests.length;
    for (const certUrl of [
      `https://evil.example${CERT_PATH}`,
      `https://127.0.0.1:1${CERT_PATH}`,
      `http://127.0.0.1:${sns.port}${CERT_PATH}`,
      `${sns.url}/cert.txt`,
      `${sns.url}${CERT_PATH}?x=1`,
      'not a url',
    ]) {
      const m = sns.signed({ Message: 'x', SigningCertURL: certUrl });
      expect((await refusal(verify(m))).code, certUrl).toBe('ESNSCERTHOST');
    }
    expect(sns.requests.length).toBe(before);
  });

  it('fetches a certificate once per URL, and again for a new URL (rotation)', async () => {
    const certificates = cache();
    await verify(sns.signed({ Message: 'a' }), certificates);
    await Promise.all([verify(sns.signed({ Message: 'b' }), certificates), verify(sns.signed({ Message: 'c' }, '1'), certificates)]);
    expect(certificates.fetches).toBe(1);
    const rotated = makeSigningCert();
    sns.routes.set('/SimpleNotificationService-rotated.pem', (res) => res.end(rotated.cert));
    await verify(
      sns.resign({ ...sns.signed({ Message: 'd' }), SigningCertURL: `${sns.url}/SimpleNotificationService-rotated.pem` }, rotated.key),
      certificates,
    );
    expect(certificates.fetches).toBe(2);
  });

  it('does not follow a redirect for the certificate', async () => {
    sns.routes.set('/moved.pem', (res) => {
      res.writeHead(302, { location: CERT_PATH });
      res.end();
    });
    const before = sns.requests.filter((p) => p === CERT_PATH).length;
    const err = await refusal(verify(sns.signed({ Message: 'x', SigningCertURL: `${sns.url}/moved.pem` })));
    expect(err.code).toBe('ESNSCERT');
    expect(err.message).toMatch(/HTTP 302/);
    expect(sns.requests.filter((p) => p === CERT_PATH).length).toBe(before);
  });

  it('refuses an oversize certificate, announced or streamed, and a certificate that is not one', async () => {
    sns.routes.set('/big.pem', (res) => res.end('x'.repeat(64 * 1024)));
    sns.routes.set('/chunked.pem', (res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 64; i++) res.write('y'.repeat(1024));
      res.end();
    });
    sns.routes.set('/junk.pem', (res) => res.end('not a certificate'));
    for (const path of ['/big.pem', '/chunked.pem']) {
      const err = await refusal(verify(sns.signed({ Message: 'x', SigningCertURL: `${sns.url}${path}` })));
      expect(err.code, path).toBe('ESNSCERT');
      expect(err.message).toMatch(/larger than 10240 bytes/);
    }
    expect((await refusal(verify(sns.signed({ Message: 'x', SigningCertURL: `${sns.url}/junk.pem` })))).code).toBe('ESNSSIGNATURE');
  });

  it('gives up on a certificate that does not come in time, and does not keep the failure', async () => {
    sns.routes.set('/slow.pem', () => {});
    const certificates = cache({ timeoutMs: 300 });
    const m = sns.signed({ Message: 'x', SigningCertURL: `${sns.url}/slow.pem` });
    const err = await refusal(verify(m, certificates));
    expect(err.code).toBe('ESNSCERT');
    expect(err.retryable).toBe(true);
    sns.routes.set('/slow.pem', (res) => res.end(''));
    expect((await refusal(verify(m, certificates))).code).toBe('ESNSSIGNATURE');
    expect(certificates.fetches).toBe(2);
  });

  it('refuses a certificate outside its validity period', async () => {
    const err = await refusal(verify(sns.signed({ Message: 'x' }), cache(), Date.now() + 3 * 24 * 3600_000));
    expect(err.code).toBe('ESNSSIGNATURE');
    expect(err.message).toMatch(/validity/);
  });
});

describe('default isSnsUrl', () => {
  const ok = (url: string, topicArn = TOPIC, purpose: 'certificate' | 'subscribe' = 'certificate') =>
    defaultIsSnsUrl(new URL(url), { topicArn, purpose });
  it('accepts https on the SNS host of the topic region, in each partition', () => {
    expect(ok('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem')).toBe(true);
    expect(ok('https://sns.cn-north-1.amazonaws.com.cn/x.pem', 'arn:aws-cn:sns:cn-north-1:123456789012:t')).toBe(true);
    expect(ok('https://sns.us-gov-west-1.amazonaws.com/x.pem', 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t')).toBe(true);
  });
  it('never accepts loopback, http, another region, a look-alike host, a port or credentials', () => {
    for (const url of [
      'https://127.0.0.1/x.pem',
      'https://localhost/x.pem',
      'https://[::1]/x.pem',
      'http://sns.eu-west-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com.evil.example/x.pem',
      'https://evilsns.eu-west-1.amazonaws.com/x.pem',
      'https://sns.eu-west-1.amazonaws.com:8443/x.pem',
      'https://user:pw@sns.eu-west-1.amazonaws.com/x.pem',
    ]) {
      expect(ok(url), url).toBe(false);
    }
  });
  it('refuses a TopicArn whose partition does not hold its region', () => {
    expect(() => ok('https://sns.cn-north-1.amazonaws.com.cn/x.pem', 'arn:aws:sns:cn-north-1:123456789012:t')).toThrow(/partition/);
  });
});
